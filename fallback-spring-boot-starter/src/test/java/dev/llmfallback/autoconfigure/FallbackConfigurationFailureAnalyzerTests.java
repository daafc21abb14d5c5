package dev.llmfallback.autoconfigure;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.logging.LogManager;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.core.io.support.SpringFactoriesLoader;

import dev.llmfallback.engine.FallbackEngine;
import dev.llmfallback.policy.Capability;
import dev.llmfallback.policy.FallbackPolicy;
import dev.llmfallback.provider.ChatProvider;
import dev.llmfallback.testing.ScriptedProvider;

import static dev.llmfallback.autoconfigure.FailureAnalyses.analysis;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Start-up with configuration that cannot be what the user meant: misspelt names anywhere under
 * {@code llm.fallback} (each named, with the nearest valid name), model ids the catalogue does not
 * know (a warning), providers without an API key.
 */
@ExtendWith(OutputCaptureExtension.class)
class FallbackConfigurationFailureAnalyzerTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(FallbackAutoConfiguration.class));

	/**
	 * Without a logging library, commons-logging writes through java.util.logging, whose console
	 * handler keeps the System.err of its creation: re-created here, it writes where the capture reads.
	 */
	@BeforeEach
	@AfterEach
	void freshConsoleHandler() throws IOException {
		LogManager.getLogManager().readConfiguration();
	}

	private ApplicationContextRunner withScriptedChain() {
		return this.runner.withUserConfiguration(ScriptedProviders.class)
			.withPropertyValues("llm.fallback.models.primary.provider=primary",
					"llm.fallback.models.secondary.provider=secondary",
					"llm.fallback.policies.chat.models=primary,secondary");
	}

	/** The same chain, written in an application.yml. */
	private ApplicationContextRunner withYaml(String yaml) {
		return this.runner.withUserConfiguration(ScriptedProviders.class).withInitializer((context) -> {
			try {
				List<PropertySource<?>> sources = new YamlPropertySourceLoader().load("application.yml",
						new ByteArrayResource(yaml.getBytes(StandardCharsets.UTF_8), "application.yml"));
				sources.forEach(context.getEnvironment().getPropertySources()::addFirst);
			}
			catch (IOException ex) {
				throw new IllegalStateException(ex);
			}
		});
	}

	@Test
	void aMisspeltRetryPropertyFailsStartUpNamingTheNearestValidOne() {
		withYaml("""
				llm:
				  fallback:
				    models:
				      primary: {provider: primary}
				    policies:
				      chat:
				        models: [primary]
				        retry: {max-retires: 5}
				""").run((context) -> {
			FailureAnalysis analysis = analysis(context);
			assertThat(analysis.getDescription()).contains("llm.fallback.policies.chat.retry.max-retires")
				.contains("is not a known property")
				.contains("application.yml");
			assertThat(analysis.getAction()).contains("Did you mean 'llm.fallback.policies.chat.retry.max-retries'?");
		});
	}

	@Test
	void aMisspeltGroupFailsStartUp() {
		withYaml("""
				llm:
				  fallback:
				    models:
				      primary: {provider: primary}
				    policies:
				      chat:
				        models: [primary]
				        cooldwon:
				          failures: 5
				""").run((context) -> {
			FailureAnalysis analysis = analysis(context);
			assertThat(analysis.getDescription()).contains("llm.fallback.policies.chat.cooldwon.failures");
			assertThat(analysis.getAction()).contains("Did you mean 'llm.fallback.policies.chat.cooldown.failures'?");
		});
	}

	@Test
	void aMisspeltModelPropertyFailsStartUp() {
		withScriptedChain().withPropertyValues("llm.fallback.models.primary.max-input-token=8000").run((context) -> {
			FailureAnalysis analysis = analysis(context);
			assertThat(analysis.getDescription()).contains("llm.fallback.models.primary.max-input-token");
			assertThat(analysis.getAction()).contains("Did you mean 'llm.fallback.models.primary.max-input-tokens'?");
		});
	}

	@Test
	void aMisspeltProviderPropertyFailsStartUpWithoutShowingItsValue() {
		withScriptedChain()
			.withPropertyValues("llm.fallback.providers.openai.type=openai",
					"llm.fallback.providers.openai.base_urll=http://localhost:8000/v1",
					"llm.fallback.providers.openai.api-kye=sk-canary-1234567890")
			.run((context) -> {
				FailureAnalysis analysis = analysis(context);
				assertThat(analysis.getDescription()).contains("llm.fallback.providers.openai.base_urll")
					.contains("llm.fallback.providers.openai.api-kye");
				assertThat(analysis.getAction()).contains("Did you mean 'llm.fallback.providers.openai.base-url'?")
					.contains("Did you mean 'llm.fallback.providers.openai.api-key'?");
				assertThat(analysis.getDescription() + analysis.getAction()).doesNotContain("sk-canary");
			});
	}

	@Test
	void aMisspeltTopLevelNameFailsStartUp() {
		withScriptedChain().withPropertyValues("llm.fallback.default-polcy=chat").run((context) -> {
			FailureAnalysis analysis = analysis(context);
			assertThat(analysis.getDescription()).contains("llm.fallback.default-polcy");
			assertThat(analysis.getAction()).contains("Did you mean 'llm.fallback.default-policy'?");
		});
	}

	@Test
	void aRedisStateStoreWithoutARedisConnectionFailsStartUpAndLocalIsTheDefault() {
		withScriptedChain().run((context) -> assertThat(context).hasNotFailed()
			.getBean(LlmFallbackProperties.class)
			.satisfies((properties) -> assertThat(properties.state().store())
				.isEqualTo(LlmFallbackProperties.State.StateStoreType.LOCAL)));
		withScriptedChain().withPropertyValues("llm.fallback.state.store=redis").run((context) -> {
			FailureAnalysis analysis = analysis(context);
			assertThat(analysis.getDescription()).contains("llm.fallback.state.store")
				.contains("no reactive Redis connection");
			assertThat(analysis.getAction()).contains("spring-boot-starter-data-redis-reactive")
				.contains("spring.data.redis");
		});
		withScriptedChain().withPropertyValues("llm.fallback.state.trial-lease=0s").run((context) -> {
			assertThat(analysis(context).getDescription()).contains("llm.fallback.state.trial-lease");
		});
	}

	@Test
	void theWebPropertiesBindAndTheirTyposFailStartUp() {
		withScriptedChain().withPropertyValues("llm.fallback.web.max-retry-after=30s",
				"llm.fallback.web.problem-details.enabled=false")
			.run((context) -> assertThat(context).hasNotFailed()
				.getBean(LlmFallbackProperties.class)
				.satisfies((properties) -> {
					assertThat(properties.web().maxRetryAfter()).hasSeconds(30);
					assertThat(properties.web().problemDetails().enabled()).isFalse();
				}));
		withScriptedChain().withPropertyValues("llm.fallback.web.problem-detail.enabled=false").run((context) -> {
			FailureAnalysis analysis = analysis(context);
			assertThat(analysis.getDescription()).contains("llm.fallback.web.problem-detail.enabled");
			assertThat(analysis.getAction()).contains("Did you mean 'llm.fallback.web.problem-details.enabled'?");
		});
	}

	@Test
	void aMisspeltProviderTypeFailsStartUpNamingTheNearestType() {
		this.runner
			.withPropertyValues("llm.fallback.providers.x.type=opneai", "llm.fallback.providers.x.base-url=http://localhost/v1",
					"llm.fallback.models.m.provider=x", "llm.fallback.policies.chat.models=m")
			.run((context) -> {
				FailureAnalysis analysis = analysis(context);
				assertThat(analysis.getDescription()).contains("llm.fallback.providers.x.type").contains("'opneai'");
				assertThat(analysis.getAction()).contains("Did you mean 'openai'?");
			});
	}

	@Test
	void aNameFarFromAnyListsTheValidOnes() {
		withScriptedChain().withPropertyValues("llm.fallback.policies.chat.retry.wait=1s").run((context) -> {
			FailureAnalysis analysis = analysis(context);
			assertThat(analysis.getDescription()).contains("llm.fallback.policies.chat.retry.wait");
			assertThat(analysis.getAction()).contains("Valid names under llm.fallback.policies.chat.retry:")
				.contains("max-retries")
				.contains("initial-backoff");
		});
	}

	@Test
	void aModelNameWithADotIsToldToUseBrackets() {
		withScriptedChain().withPropertyValues("llm.fallback.models.gpt-4.1.provider=primary").run((context) -> {
			FailureAnalysis analysis = analysis(context);
			assertThat(analysis.getDescription()).contains("llm.fallback.models.gpt-4.1.provider")
				.contains("key with a dot");
			assertThat(analysis.getAction()).contains("llm.fallback.models.[gpt-4.1].provider").contains("\"[gpt-4.1]\":");
		});
	}

	@Test
	void everyRelaxedFormOfAValidNameStillBinds() {
		this.runner
			.withPropertyValues("llm.fallback.providers.local.type=openai",
					"llm.fallback.providers.local.base_url=http://localhost:8000/v1",
					"llm.fallback.providers.other.type=ollama",
					"llm.fallback.providers.other.baseUrl=http://localhost:11434",
					"llm.fallback.models.m.provider=local", "llm.fallback.models.m.max_input_tokens=4000",
					"llm.fallback.models.n.provider=other", "llm.fallback.models.n.maxInputTokens=5000",
					"llm.fallback.policies.chat.models=m,n", "llm.fallback.policies.chat.retry.max_retries=1",
					"llm.fallback.policies.chat.retry.initialBackoff=10ms",
					"llm.fallback.policies.chat.cooldown.max-duration=1m", "llm.fallback.defaultPolicy=chat")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				FallbackEngine engine = context.getBean(FallbackEngine.class);
				FallbackPolicy chat = engine.policies().get("chat");
				assertThat(chat.retry().maxRetries()).isEqualTo(1);
				assertThat(chat.retry().initialBackoff()).hasMillis(10);
				assertThat(context.getBean(ConfiguredProviders.class).settings().get("local").baseUrl())
					.isEqualTo("http://localhost:8000/v1");
				LlmFallbackProperties properties = context.getBean(LlmFallbackProperties.class);
				assertThat(properties.models().get("m").maxInputTokens()).isEqualTo(4000);
				assertThat(properties.models().get("n").maxInputTokens()).isEqualTo(5000);
			});
	}

	@Test
	void mapKeysAreTheUsersOwnNames() {
		this.runner.withUserConfiguration(ScriptedProviders.class)
			.withPropertyValues("llm.fallback.models.My_Model-A.provider=primary",
					"llm.fallback.models.My_Model-A.model=whatever-id", "llm.fallback.policies.maxretries.models=My_Model-A",
					"llm.fallback.providers.primary.headers.X-Custom_Header=1")
			.run((context) -> assertThat(context).hasNotFailed());
	}

	@Test
	void maxAttemptsLeftOutIsDerivedFromTheChain() {
		withScriptedChain().run((context) -> {
			FallbackPolicy chat = context.getBean(FallbackEngine.class).policies().get("chat");
			assertThat(chat.maxAttemptsSet()).isFalse();
			assertThat(chat.maxAttempts()).isEqualTo(FallbackPolicy.DEFAULT_MAX_ATTEMPTS);
		});
		withScriptedChain().withPropertyValues("llm.fallback.policies.chat.max-attempts=3").run((context) -> {
			FallbackPolicy chat = context.getBean(FallbackEngine.class).policies().get("chat");
			assertThat(chat.maxAttemptsSet()).isTrue();
			assertThat(chat.maxAttempts()).isEqualTo(3);
		});
	}

	/** An OpenAI-compatible provider on this machine (no server is called at start-up). */
	private ApplicationContextRunner withLocalProvider() {
		return this.runner.withPropertyValues("llm.fallback.providers.local.type=openai",
				"llm.fallback.providers.local.base-url=http://localhost:8000/v1", "llm.fallback.models.a.provider=local",
				"llm.fallback.models.b.provider=local", "llm.fallback.policies.chat.models=a,b");
	}

	@Test
	void anUnknownModelIdGetsNoWindowAndAWarning(CapturedOutput output) {
		withLocalProvider()
			.withPropertyValues("llm.fallback.models.a.model=gpt-4o-mnii", "llm.fallback.models.b.model=prod-gpt-4o-eu")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				FallbackEngine engine = context.getBean(FallbackEngine.class);
				assertThat(engine.maxInputTokens("a")).isZero();
				assertThat(engine.maxInputTokens("b")).isZero();
				assertThat(output).contains("Model 'a'")
					.contains("'gpt-4o-mnii'")
					.contains("llm.fallback.models.a.max-input-tokens")
					.contains("llm.fallback.models.a.base-model")
					.contains("base-model: gpt-4o-mini)")
					.contains("Model 'b'")
					.contains("base-model: gpt-4o)");
			});
	}

	@Test
	void modelsOfTheApplicationsOwnProvidersAreNotWarnedAbout(CapturedOutput output) {
		withScriptedChain().run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(output).doesNotContain("built-in catalogue does not know");
		});
	}

	@Test
	void aKnownModelIdAndItsSnapshotsGetTheCatalogueWindowWithoutAWarning(CapturedOutput output) {
		withLocalProvider()
			.withPropertyValues("llm.fallback.models.a.model=gpt-4o-2024-08-06",
					"llm.fallback.models.b.model=claude-3-5-haiku-20241022")
			.run((context) -> {
				FallbackEngine engine = context.getBean(FallbackEngine.class);
				assertThat(engine.maxInputTokens("a")).isEqualTo(128000);
				assertThat(engine.maxInputTokens("b")).isEqualTo(200000);
				assertThat(output).doesNotContain("built-in catalogue does not know");
			});
	}

	@Test
	void aBaseModelGivesADeploymentNameItsWindowAndCapabilities() {
		withScriptedChain()
			.withPropertyValues("llm.fallback.models.primary.model=prod-chat-eu",
					"llm.fallback.models.primary.base-model=gpt-4o-mini",
					"llm.fallback.models.secondary.capabilities=tools,json-schema")
			.run((context) -> {
				FallbackEngine engine = context.getBean(FallbackEngine.class);
				assertThat(engine.maxInputTokens("primary")).isEqualTo(128000);
				assertThat(engine.models().get("primary").capabilities()).containsExactlyInAnyOrder(Capability.TOOLS,
						Capability.VISION, Capability.JSON_SCHEMA, Capability.STREAMING);
				assertThat(engine.models().get("secondary").capabilities())
					.containsExactlyInAnyOrder(Capability.TOOLS, Capability.JSON_SCHEMA);
			});
	}

	@Test
	void anUnknownBaseModelFailsStartUp() {
		withScriptedChain().withPropertyValues("llm.fallback.models.primary.base-model=gpt-4o-mnii").run((context) -> {
			FailureAnalysis analysis = analysis(context);
			assertThat(analysis.getDescription()).contains("llm.fallback.models.primary.base-model")
				.contains("gpt-4o-mnii");
			assertThat(analysis.getAction()).contains("Did you mean 'gpt-4o-mini'?").contains("max-input-tokens");
		});
	}

	@Test
	void anEmptyApiKeyFailsStartUpForAPublicAddress() {
		this.runner
			.withPropertyValues("llm.fallback.providers.remote.type=ollama",
					"llm.fallback.providers.remote.base-url=https://ollama.example.com",
					"llm.fallback.models.m.provider=remote", "llm.fallback.policies.chat.models=m")
			.run((context) -> {
				FailureAnalysis analysis = analysis(context);
				assertThat(analysis.getDescription()).contains("llm.fallback.providers.remote.api-key");
				assertThat(analysis.getAction()).contains("${REMOTE_API_KEY}").contains("loopback or private");
			});
	}

	@Test
	void anEmptyApiKeyIsFineForALoopbackOrPrivateAddress() {
		for (String baseUrl : List.of("http://127.0.0.1:8000/v1", "http://[::1]:8000/v1", "http://192.168.1.20:8000/v1",
				"http://10.0.0.7/v1", "http://172.20.0.3:8000/v1", "http://vllm:8000/v1", "http://gpu-box.local:8000/v1",
				"http://[fd00::12]:8000/v1")) {
			this.runner
				.withPropertyValues("llm.fallback.providers.local.type=anthropic",
						"llm.fallback.providers.local.base-url=" + baseUrl, "llm.fallback.models.m.provider=local",
						"llm.fallback.policies.chat.models=m")
				.run((context) -> assertThat(context).as(baseUrl).hasNotFailed());
		}
		this.runner
			.withPropertyValues("llm.fallback.providers.local.type=ollama", "llm.fallback.models.m.provider=local",
					"llm.fallback.policies.chat.models=m")
			.run((context) -> assertThat(context).as("ollama's default base URL").hasNotFailed());
	}

	@Test
	void aPublicAddressIsNotTakenForAPrivateOne() {
		for (String url : List.of("https://api.openai.com/v1", "http://172.32.0.1/v1", "http://8.8.8.8/v1",
				"https://localhost.example.com/v1")) {
			assertThat(ProviderAddresses.isLocal(url)).as(url).isFalse();
		}
	}

	@Configuration(proxyBeanMethods = false)
	static class ScriptedProviders {

		@Bean
		ChatProvider primary() {
			return ScriptedProvider.replying("primary", "from primary");
		}

		@Bean
		ChatProvider secondary() {
			return ScriptedProvider.replying("secondary", "from secondary");
		}

	}

}
