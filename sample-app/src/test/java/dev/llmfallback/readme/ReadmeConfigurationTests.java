package dev.llmfallback.readme;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.ByteArrayResource;

import dev.llmfallback.ChatService;
import dev.llmfallback.autoconfigure.FallbackAutoConfiguration;
import dev.llmfallback.engine.FallbackEngine;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's minimal {@code application.yml}, read from the README itself, configures the
 * starter: with the two keys in the environment it builds the engine and its {@link ChatService};
 * without them start-up fails naming the property, as the README's key rule says.
 */
class ReadmeConfigurationTests {

	private static final Path README = Path.of("..", "README.md");

	@Test
	void theMinimalApplicationYmlConfiguresTheChain() throws IOException {
		runner().withPropertyValues("OPENAI_API_KEY=sk-readme", "ANTHROPIC_API_KEY=sk-ant-readme").run((context) -> {
			assertThat(context).hasNotFailed().hasSingleBean(ChatService.class);
			FallbackEngine engine = context.getBean(FallbackEngine.class);
			assertThat(engine.defaultPolicy()).isEqualTo("chat");
			assertThat(engine.policies().get("chat").models()).containsExactly("gpt-4o-mini", "claude-haiku");
			assertThat(engine.models().get("claude-haiku").model()).isEqualTo("claude-3-5-haiku-latest");
			assertThat(engine.maxInputTokens("gpt-4o-mini")).isEqualTo(128_000);
		});
	}

	@Test
	void withoutKeysTheMinimalApplicationYmlFailsStartUpNamingTheProperty() throws IOException {
		runner().run((context) -> assertThat(context).hasFailed()
			.getFailure()
			.rootCause()
			.hasMessageContaining("api-key"));
	}

	private static ApplicationContextRunner runner() throws IOException {
		PropertySource<?> yaml = new YamlPropertySourceLoader()
			.load("readme-application.yml", new ByteArrayResource(minimalApplicationYml().getBytes()))
			.get(0);
		return new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(FallbackAutoConfiguration.class))
			.withInitializer((context) -> context.getEnvironment().getPropertySources().addLast(yaml));
	}

	/** The first YAML block after the README's "A minimal `application.yml`". */
	private static String minimalApplicationYml() throws IOException {
		String readme = Files.readString(README);
		int heading = readme.indexOf("A minimal `application.yml`");
		assertThat(heading).as("the README's minimal application.yml").isNotNegative();
		Matcher block = Pattern.compile("```yaml\n(.*?)```", Pattern.DOTALL).matcher(readme);
		assertThat(block.find(heading)).isTrue();
		return block.group(1);
	}

}
