package dev.llmfallback.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.support.SpringFactoriesLoader;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

import dev.llmfallback.ChatRequest;
import dev.llmfallback.ChatResponse;
import dev.llmfallback.ChatService;
import dev.llmfallback.engine.FallbackEngine;
import dev.llmfallback.event.FallbackEvent;
import dev.llmfallback.event.FallbackEventListener;
import dev.llmfallback.provider.ChatProvider;
import dev.llmfallback.testing.ScriptedProvider;

import static dev.llmfallback.autoconfigure.FailureAnalyses.analysis;
import static org.assertj.core.api.Assertions.assertThat;

class FallbackAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(FallbackAutoConfiguration.class));

	/** Two models on application-provided scripted providers, one policy. */
	private ApplicationContextRunner withScriptedChain() {
		return this.runner.withUserConfiguration(ScriptedProviders.class)
			.withPropertyValues("llm.fallback.models.primary.provider=primary",
					"llm.fallback.models.secondary.provider=secondary",
					"llm.fallback.policies.chat.models=primary,secondary");
	}

	@Test
	void aFewPropertiesGiveAWorkingChatService() {
		withScriptedChain().run((context) -> {
			assertThat(context).hasSingleBean(FallbackEngine.class).hasSingleBean(ChatService.class);
			ChatResponse response = context.getBean(ChatService.class).chat(ChatRequest.of("hi")).block();
			assertThat(response.servedBy()).isEqualTo("primary");
			assertThat(response.content()).isEqualTo("from primary");
		});
	}

	@Test
	void aProviderBeanOfTheApplicationTakesPartInPolicies() {
		withScriptedChain().run((context) -> assertThat(context.getBean(ConfiguredProviders.class).providers())
			.containsOnlyKeys("primary", "secondary"));
	}

	@Test
	void anyPolicyIsReachableByName() {
		withScriptedChain().withPropertyValues("llm.fallback.policies.backup.models=secondary",
				"llm.fallback.default-policy=chat")
			.run((context) -> {
				FallbackEngine engine = context.getBean(FallbackEngine.class);
				assertThat(engine.chatService("backup").chat(ChatRequest.of("hi")).block().servedBy())
					.isEqualTo("secondary");
				assertThat(context.getBean(ChatService.class)
					.chat(ChatRequest.builder().user("hi").policy("backup").build())
					.block()
					.servedBy()).isEqualTo("secondary");
			});
	}

	@Test
	void eventListenerBeansReceiveTheEngineEvents() {
		withScriptedChain().withUserConfiguration(RecordingListener.class).run((context) -> {
			context.getBean(ChatService.class).chat(ChatRequest.of("hi")).block();
			assertThat(context.getBean(RecordingListener.class).events).isNotEmpty();
		});
	}

	@Test
	void anApplicationEngineReplacesOurs() {
		withScriptedChain().withUserConfiguration(OwnEngine.class).run((context) -> {
			assertThat(context).hasSingleBean(FallbackEngine.class);
			assertThat(context.getBean(FallbackEngine.class)).isSameAs(context.getBean(OwnEngine.class).engine);
		});
	}

	@Test
	void anApplicationChatServiceReplacesOurs() {
		withScriptedChain().withBean("myChat", ChatService.class, () -> new FallbackEngineFreeChatService())
			.run((context) -> assertThat(context.getBean(ChatService.class))
				.isInstanceOf(FallbackEngineFreeChatService.class));
	}

	@Test
	void canBeSwitchedOff() {
		withScriptedChain().withPropertyValues("llm.fallback.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(FallbackEngine.class)
				.doesNotHaveBean(ChatService.class));
	}

	@Test
	void configuredProvidersCallRealServersOverHttp() {
		DisposableServer server = HttpServer.create()
			.host("127.0.0.1")
			.port(0)
			.route((routes) -> routes.post("/v1/chat/completions", (request, response) -> response
				.header("content-type", "application/json")
				.sendString(Mono.just("""
						{"id":"chatcmpl-1","object":"chat.completion","created":1,"model":"gpt-4o-mini-2024-07-18",
						 "choices":[{"index":0,"message":{"role":"assistant","content":"Paris."},"finish_reason":"stop"}],
						 "usage":{"prompt_tokens":12,"completion_tokens":2,"total_tokens":14}}"""))))
			.bindNow();
		try {
			this.runner
				.withPropertyValues("llm.fallback.providers.openai.type=openai",
						"llm.fallback.providers.openai.base-url=http://127.0.0.1:" + server.port() + "/v1",
						"llm.fallback.providers.openai.api-key=sk-test-canary",
						"llm.fallback.models.gpt-4o-mini.provider=openai",
						"llm.fallback.policies.chat.models=gpt-4o-mini")
				.run((context) -> {
					ChatResponse response = context.getBean(ChatService.class)
						.chat(ChatRequest.of("Capital of France?"))
						.block(Duration.ofSeconds(10));
					assertThat(response.content()).isEqualTo("Paris.");
					assertThat(response.providerModel()).isEqualTo("gpt-4o-mini-2024-07-18");
					assertThat(response.usage().totalTokens()).isEqualTo(14);
				});
		}
		finally {
			server.disposeNow();
		}
	}

	@Test
	void aWebClientCustomizerSeesEachConfiguredProvider() {
		List<String> customized = new ArrayList<>();
		this.runner
			.withBean(ProviderWebClientCustomizer.class,
					() -> (provider, builder) -> customized.add(provider))
			.withPropertyValues("llm.fallback.providers.local.type=ollama",
					"llm.fallback.providers.other.type=openai",
					"llm.fallback.providers.other.base-url=http://localhost:8000/v1",
					"llm.fallback.models.llama.provider=local", "llm.fallback.policies.chat.models=llama")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(customized).containsExactly("local", "other");
			});
	}

	// Bad configuration: each fails start-up with a message naming the property and the fix.

	@Test
	void anUnknownModelInAPolicyFailsStartUp() {
		withScriptedChain().withPropertyValues("llm.fallback.policies.chat.models=primary,claude").run((context) -> {
			FailureAnalysis analysis = analysis(context);
			assertThat(analysis.getDescription()).contains("llm.fallback.policies.chat.models[1]")
				.contains("names model 'claude', which is not configured");
			assertThat(analysis.getAction()).contains("llm.fallback.models.claude").contains("primary, secondary");
		});
	}

	@Test
	void anUnknownProviderOfAModelFailsStartUp() {
		withScriptedChain().withPropertyValues("llm.fallback.models.primary.provider=anthropic").run((context) -> {
			FailureAnalysis analysis = analysis(context);
			assertThat(analysis.getDescription()).contains("llm.fallback.models.primary.provider")
				.contains("'anthropic'");
			assertThat(analysis.getAction()).contains("llm.fallback.providers.anthropic");
		});
	}

	@Test
	void anEmptyChainFailsStartUp() {
		withScriptedChain().withPropertyValues("llm.fallback.policies.chat.models=").run((context) -> {
			FailureAnalysis analysis = analysis(context);
			assertThat(analysis.getDescription()).contains("llm.fallback.policies.chat.models").contains("empty");
		});
	}

	@Test
	void aCycleFailsStartUp() {
		withScriptedChain().withPropertyValues("llm.fallback.policies.chat.models=primary,secondary,primary")
			.run((context) -> assertThat(analysis(context).getDescription())
				.contains("llm.fallback.policies.chat.models[2]")
				.contains("primary -> secondary -> primary"));
	}

	@Test
	void anUnknownCategoryFailsStartUp() {
		withScriptedChain().withPropertyValues("llm.fallback.policies.chat.retry-on=rate_limit,overloaded")
			.run((context) -> {
				FailureAnalysis analysis = analysis(context);
				assertThat(analysis.getDescription()).contains("llm.fallback.policies.chat.retry-on")
					.contains("overloaded");
				assertThat(analysis.getAction()).contains("service_unavailable");
			});
	}

	@Test
	void categoriesAreReadInAnyCase() {
		withScriptedChain()
			.withPropertyValues("llm.fallback.policies.chat.retry-on=rate-limit,SERVER_ERROR,service_unavailable")
			.run((context) -> assertThat(context.getBean(FallbackEngine.class).policies().get("chat").retryOn())
				.containsExactlyInAnyOrder(dev.llmfallback.ErrorCategory.RATE_LIMIT,
						dev.llmfallback.ErrorCategory.SERVER_ERROR, dev.llmfallback.ErrorCategory.SERVICE_UNAVAILABLE));
	}

	@Test
	void anUnknownClassificationCategoryFailsStartUp() {
		withScriptedChain().withPropertyValues("llm.fallback.classification.overload[0]=too busy")
			.run((context) -> assertThat(analysis(context).getDescription())
				.contains("llm.fallback.classification"));
	}

	@Test
	void anInvalidClassificationPatternFailsStartUp() {
		withScriptedChain().withPropertyValues("llm.fallback.classification.rate_limit[0]=slow (down")
			.run((context) -> assertThat(analysis(context).getDescription())
				.contains("llm.fallback.classification.rate_limit[0]")
				.contains("slow (down")
				.contains("regex"));
	}

	@Test
	void aMissingBaseUrlFailsStartUp() {
		this.runner
			.withPropertyValues("llm.fallback.providers.azure.type=azure-openai", "llm.fallback.providers.azure.api-key=k",
					"llm.fallback.models.gpt.provider=azure", "llm.fallback.policies.chat.models=gpt")
			.run((context) -> {
				// The adapter refuses it; the message places it under the provider and names base-url.
				FailureAnalysis analysis = analysis(context);
				assertThat(analysis.getDescription()).contains("llm.fallback.providers.azure").contains("base-url");
				assertThat(analysis.getDescription() + analysis.getAction()).contains("openai.azure.com");
			});
	}

	@Test
	void anUnknownProviderTypeFailsStartUp() {
		this.runner.withPropertyValues("llm.fallback.providers.x.type=bedrock", "llm.fallback.models.m.provider=x",
				"llm.fallback.policies.chat.models=m")
			.run((context) -> {
				FailureAnalysis analysis = analysis(context);
				assertThat(analysis.getDescription()).contains("llm.fallback.providers.x.type").contains("bedrock");
				assertThat(analysis.getAction()).contains("azure-openai").contains("ollama");
			});
	}

	@Test
	void aProviderUsedByAPolicyWithoutItsApiKeyFailsStartUp() {
		this.runner
			.withPropertyValues("llm.fallback.providers.anthropic.type=anthropic",
					"llm.fallback.providers.anthropic.api-key=", "llm.fallback.models.claude.provider=anthropic",
					"llm.fallback.policies.chat.models=claude")
			.run((context) -> {
				FailureAnalysis analysis = analysis(context);
				assertThat(analysis.getDescription()).contains("llm.fallback.providers.anthropic.api-key")
					.contains("policy 'chat'");
				assertThat(analysis.getAction()).contains("${ANTHROPIC_API_KEY}");
			});
	}

	@Test
	void anUnusedProviderNeedsNoApiKey() {
		withScriptedChain().withPropertyValues("llm.fallback.providers.openai.type=openai")
			.run((context) -> assertThat(context).hasNotFailed());
	}

	@Test
	void aLocalOpenAiCompatibleServerNeedsNoApiKey() {
		this.runner
			.withPropertyValues("llm.fallback.providers.vllm.type=openai",
					"llm.fallback.providers.vllm.base-url=http://localhost:8000/v1", "llm.fallback.models.m.provider=vllm",
					"llm.fallback.policies.chat.models=m")
			.run((context) -> assertThat(context).hasNotFailed());
	}

	@Test
	void aNegativeDurationFailsStartUp() {
		withScriptedChain().withPropertyValues("llm.fallback.policies.chat.retry.initial-backoff=-5ms")
			.run((context) -> assertThat(analysis(context).getDescription())
				.contains("llm.fallback.policies.chat.retry.initial-backoff"));
		withScriptedChain().withPropertyValues("llm.fallback.policies.chat.deadline=-1s")
			.run((context) -> assertThat(analysis(context).getDescription())
				.contains("llm.fallback.policies.chat.deadline"));
	}

	@Test
	void noPolicyFailsStartUp() {
		this.runner.run((context) -> {
			FailureAnalysis analysis = analysis(context);
			assertThat(analysis.getDescription()).contains("llm.fallback.policies");
			assertThat(analysis.getAction()).contains("llm.fallback.policies");
		});
	}

	@Test
	void anApiKeyNeverAppearsInAFailureMessage() {
		this.runner
			.withPropertyValues("llm.fallback.providers.openai.type=openai",
					"llm.fallback.providers.openai.api-key=sk-canary-1234567890",
					"llm.fallback.providers.openai.base-url=not a url", "llm.fallback.models.m.provider=openai",
					"llm.fallback.policies.chat.models=m")
			.run((context) -> {
				FailureAnalysis analysis = analysis(context);
				assertThat(analysis.getDescription() + analysis.getAction()).doesNotContain("sk-canary");
				assertThat(context.getStartupFailure()).hasStackTraceContaining("base-url")
					.satisfies((failure) -> assertThat(stackTrace(failure)).doesNotContain("sk-canary"));
			});
	}

	@Test
	void aHeaderValueThatHttpCannotCarryFailsStartUpWithoutShowingIt() {
		this.runner
			.withPropertyValues("llm.fallback.providers.openai.type=openai",
					"llm.fallback.providers.openai.api-key=sk-test-1234567890",
					"llm.fallback.providers.openai.headers.x-team=canary-value\r\nX-Injected: 1",
					"llm.fallback.models.m.provider=openai", "llm.fallback.policies.chat.models=m")
			.run((context) -> {
				FailureAnalysis analysis = analysis(context);
				assertThat(analysis.getDescription()).contains("llm.fallback.providers.openai")
					.contains("header 'x-team' that HTTP cannot carry");
				assertThat(stackTrace(context.getStartupFailure())).doesNotContain("canary-value");
			});
	}

	private static String stackTrace(Throwable failure) {
		java.io.StringWriter text = new java.io.StringWriter();
		failure.printStackTrace(new java.io.PrintWriter(text));
		return text.toString();
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

	@Configuration(proxyBeanMethods = false)
	static class RecordingListener implements FallbackEventListener {

		final List<FallbackEvent> events = new java.util.concurrent.CopyOnWriteArrayList<>();

		@Override
		public void onEvent(FallbackEvent event) {
			this.events.add(event);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class OwnEngine {

		final FallbackEngine engine = FallbackEngine.builder()
			.provider(ScriptedProvider.replying("p", "mine"))
			.model(dev.llmfallback.policy.ModelDefinition.builder("m").provider("p").build())
			.policy(dev.llmfallback.policy.FallbackPolicy.builder("mine").models("m").build())
			.build();

		@Bean
		FallbackEngine myEngine() {
			return this.engine;
		}

	}

	static class FallbackEngineFreeChatService implements ChatService {

		@Override
		public Mono<ChatResponse> chat(ChatRequest request) {
			return Mono.empty();
		}

		@Override
		public reactor.core.publisher.Flux<dev.llmfallback.ChatChunk> stream(ChatRequest request) {
			return reactor.core.publisher.Flux.empty();
		}

		@Override
		public String call(String prompt) {
			return "";
		}

	}

}
