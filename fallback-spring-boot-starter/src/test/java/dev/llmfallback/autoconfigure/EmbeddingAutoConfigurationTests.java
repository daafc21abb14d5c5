package dev.llmfallback.autoconfigure;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.llmfallback.ChatRequest;
import dev.llmfallback.ChatService;
import dev.llmfallback.EmbeddingRequest;
import dev.llmfallback.EmbeddingResponse;
import dev.llmfallback.EmbeddingService;
import dev.llmfallback.ErrorCategory;
import dev.llmfallback.LlmException;
import dev.llmfallback.actuate.endpoint.FallbacksEndpoint;
import dev.llmfallback.autoconfigure.endpoint.FallbacksEndpointAutoConfiguration;
import dev.llmfallback.provider.ChatProvider;
import dev.llmfallback.testing.ScriptedProvider;
import dev.llmfallback.testing.Step;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** Embedding models and policies configured by properties: the service bean and the start-up checks. */
class EmbeddingAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(FallbackAutoConfiguration.class));

	/** A chat policy and an embedding policy of two models, on application-provided scripted providers. */
	private ApplicationContextRunner withBothPolicies() {
		return this.runner.withUserConfiguration(ScriptedEmbeddingProviders.class)
			.withPropertyValues("llm.fallback.models.chatty.provider=chatty",
					"llm.fallback.models.vectors.provider=vectors", "llm.fallback.models.vectors.type=embedding",
					"llm.fallback.models.vectors.dimensions=8", "llm.fallback.models.backup.provider=backup",
					"llm.fallback.models.backup.type=embedding", "llm.fallback.models.backup.dimensions=8",
					"llm.fallback.policies.chat.models=chatty", "llm.fallback.policies.embed.models=vectors,backup");
	}

	@Test
	void anEmbeddingPolicyGivesAnEmbeddingServiceThatFallsBack() {
		withBothPolicies().withPropertyValues("llm.fallback.default-embedding-policy=embed").run((context) -> {
			assertThat(context).hasNotFailed().hasSingleBean(EmbeddingService.class);
			EmbeddingResponse response = context.getBean(EmbeddingService.class)
				.embed(EmbeddingRequest.of("first", "second"))
				.block();
			assertThat(response.servedBy()).isEqualTo("backup");
			assertThat(response.embeddings()).hasSize(2).allSatisfy((vector) -> assertThat(vector).hasSize(8));
			// The chat default is the one chat policy; embedding policies are not candidates.
			assertThat(context.getBean(ChatService.class).chat(ChatRequest.of("hi")).block().servedBy())
				.isEqualTo("chatty");
		});
	}

	@Test
	void aPolicyMixingChatAndEmbeddingModelsFailsStartUp() {
		withBothPolicies().withPropertyValues("llm.fallback.policies.embed.models=vectors,chatty").run((context) -> {
			FailureAnalysis analysis = analysis(context);
			assertThat(analysis.getDescription()).contains("llm.fallback.policies.embed.models[1]")
				.contains("chat model 'chatty'");
		});
	}

	@Test
	void anEmbeddingChainOfDifferentDimensionsFailsStartUp() {
		withBothPolicies().withPropertyValues("llm.fallback.models.backup.dimensions=16").run((context) -> {
			FailureAnalysis analysis = analysis(context);
			assertThat(analysis.getDescription()).contains("llm.fallback.policies.embed.models[1]")
				.contains("16 numbers")
				.contains("8");
			assertThat(analysis.getAction()).contains("must never be mixed");
		});
	}

	@Test
	void catalogueDimensionsOfConfiguredProvidersAreCompared() {
		this.runner
			.withPropertyValues("llm.fallback.providers.openai.type=openai",
					"llm.fallback.providers.openai.base-url=http://localhost:1/v1",
					"llm.fallback.providers.local.type=ollama",
					"llm.fallback.models.small.provider=openai", "llm.fallback.models.small.model=text-embedding-3-small",
					"llm.fallback.models.small.type=embedding", "llm.fallback.models.nomic.provider=local",
					"llm.fallback.models.nomic.model=nomic-embed-text", "llm.fallback.models.nomic.type=embedding",
					"llm.fallback.policies.embed.models=small,nomic")
			.run((context) -> assertThat(analysis(context).getDescription())
				.contains("llm.fallback.policies.embed.models[1]")
				.contains("768")
				.contains("1536"));
	}

	@Test
	void anEmbeddingModelOnAnAnthropicProviderFailsStartUp() {
		this.runner
			.withPropertyValues("llm.fallback.providers.claude.type=anthropic",
					"llm.fallback.providers.claude.base-url=http://localhost:1",
					"llm.fallback.models.vectors.provider=claude", "llm.fallback.models.vectors.type=embedding",
					"llm.fallback.models.vectors.dimensions=1024", "llm.fallback.policies.embed.models=vectors")
			.run((context) -> {
				FailureAnalysis analysis = analysis(context);
				assertThat(analysis.getDescription()).contains("llm.fallback.models.vectors.provider")
					.contains("of type anthropic, which has no embeddings");
			});
	}

	@Test
	void theDefaultEmbeddingPolicyMustBeAnEmbeddingPolicy() {
		withBothPolicies().withPropertyValues("llm.fallback.default-embedding-policy=chat")
			.run((context) -> assertThat(analysis(context).getDescription())
				.contains("llm.fallback.default-embedding-policy")
				.contains("chat policy"));
	}

	@Test
	void aChatServiceRefusesAnEmbeddingPolicy() {
		withBothPolicies().run((context) -> {
			assertThatExceptionOfType(LlmException.class)
				.isThrownBy(() -> context.getBean(ChatService.class)
					.chat(ChatRequest.builder().policy("embed").user("hi").build())
					.block())
				.satisfies((refused) -> assertThat(refused.category()).isEqualTo(ErrorCategory.BAD_REQUEST));
		});
	}

	@Test
	void theFallbacksEndpointShowsEmbeddingPoliciesAndTheirCooldowns() {
		withBothPolicies()
			.withConfiguration(AutoConfigurations.of(FallbacksEndpointAutoConfiguration.class))
			.withPropertyValues("management.endpoints.web.exposure.include=fallbacks")
			.run((context) -> {
				context.getBean(EmbeddingService.class).embed(EmbeddingRequest.of("x")).block();
				FallbacksEndpoint.PolicyDescriptor embed = context.getBean(FallbacksEndpoint.class).policy("embed");
				assertThat(embed.models()).extracting(FallbacksEndpoint.ModelDescriptor::model)
					.containsExactly("vectors", "backup");
				// The authentication failure put the first model in cooldown, as for a chat model.
				assertThat(embed.models().get(0).available()).isFalse();
				assertThat(embed.available()).isTrue();
			});
	}

	private static FailureAnalysis analysis(AssertableApplicationContext context) {
		assertThat(context).hasFailed();
		FailureAnalysis analysis = new FallbackConfigurationFailureAnalyzer().analyze(context.getStartupFailure());
		assertThat(analysis).as("analysis of " + context.getStartupFailure()).isNotNull();
		return analysis;
	}

	@Configuration(proxyBeanMethods = false)
	static class ScriptedEmbeddingProviders {

		@Bean
		ChatProvider chatty() {
			return ScriptedProvider.replying("chatty", "from chatty");
		}

		@Bean
		ChatProvider vectors() {
			return ScriptedProvider.builder("vectors").otherwise(Step.fail(ErrorCategory.AUTHENTICATION)).build();
		}

		@Bean
		ChatProvider backup() {
			return ScriptedProvider.builder("backup").dimensions(8).build();
		}

	}

}
