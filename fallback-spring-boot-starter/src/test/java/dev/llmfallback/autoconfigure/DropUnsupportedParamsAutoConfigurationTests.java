package dev.llmfallback.autoconfigure;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.llmfallback.ChatRequest;
import dev.llmfallback.ChatResponse;
import dev.llmfallback.ChatService;
import dev.llmfallback.SkipReason;
import dev.llmfallback.engine.FallbackEngine;
import dev.llmfallback.provider.ChatProvider;
import dev.llmfallback.testing.ScriptedProvider;

import static dev.llmfallback.autoconfigure.FailureAnalyses.analysis;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code llm.fallback.policies.<name>.drop-unsupported-params}: off by default (a model whose
 * provider cannot carry a parameter of the request is skipped as unsupported); on, the parameter is
 * left out of the call and named in the answer's {@code droppedParams}.
 */
class DropUnsupportedParamsAutoConfigurationTests {

	private static final ChatRequest WITH_LOGPROBS = ChatRequest.builder().user("hi").extra("logprobs", true).build();

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(FallbackAutoConfiguration.class))
		.withUserConfiguration(Providers.class)
		.withPropertyValues("llm.fallback.models.primary.provider=primary",
				"llm.fallback.models.secondary.provider=secondary",
				"llm.fallback.policies.chat.models=primary,secondary");

	@Test
	void offByDefaultAModelThatCannotCarryAParameterIsSkipped() {
		this.runner.run((context) -> {
			assertThat(context.getBean(FallbackEngine.class).policies().get("chat").dropUnsupportedParams()).isFalse();
			ChatResponse response = context.getBean(ChatService.class).chat(WITH_LOGPROBS).block();
			assertThat(response.servedBy()).isEqualTo("secondary");
			assertThat(response.attempts().get(0).skipReason()).isEqualTo(SkipReason.UNSUPPORTED);
			assertThat(response.droppedParams()).isEmpty();
		});
	}

	@Test
	void onTheParameterIsLeftOutAndNamed() {
		this.runner.withPropertyValues("llm.fallback.policies.chat.drop-unsupported-params=true").run((context) -> {
			assertThat(context.getBean(FallbackEngine.class).policies().get("chat").dropUnsupportedParams()).isTrue();
			ChatResponse response = context.getBean(ChatService.class).chat(WITH_LOGPROBS).block();
			assertThat(response.servedBy()).isEqualTo("primary");
			assertThat(response.droppedParams()).containsExactly("logprobs");
		});
	}

	@Test
	void aValueThatIsNotABooleanFailsStartUpNamingTheProperty() {
		this.runner.withPropertyValues("llm.fallback.policies.chat.drop-unsupported-params=sometimes")
			.run((context) -> assertThat(analysis(context).getDescription())
				.contains("llm.fallback.policies.chat.drop-unsupported-params"));
	}

	@Test
	void aMisspeltNameFailsStartUpSuggestingTheProperty() {
		this.runner.withPropertyValues("llm.fallback.policies.chat.drop-unsupported-param=true")
			.run((context) -> assertThat(analysis(context).getAction())
				.contains("llm.fallback.policies.chat.drop-unsupported-params"));
	}

	@Configuration(proxyBeanMethods = false)
	static class Providers {

		@Bean
		ChatProvider primary() {
			return ScriptedProvider.builder("primary")
				.unsupportedParams((request) -> request.extra().containsKey("logprobs") ? List.of("logprobs") : List.of())
				.otherwise(dev.llmfallback.testing.Step.reply("from primary"))
				.build();
		}

		@Bean
		ChatProvider secondary() {
			return ScriptedProvider.replying("secondary", "from secondary");
		}

	}

}
