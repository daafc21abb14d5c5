package dev.llmfallback.engine;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import dev.llmfallback.policy.FallbackConfigurationException;
import dev.llmfallback.policy.FallbackPolicy;
import dev.llmfallback.policy.ModelCatalog;
import dev.llmfallback.policy.ModelDefinition;
import dev.llmfallback.policy.ModelType;
import dev.llmfallback.provider.ChatProvider;
import dev.llmfallback.provider.EmbeddingProvider;
import dev.llmfallback.provider.ProviderChunk;
import dev.llmfallback.provider.ProviderEmbeddingRequest;
import dev.llmfallback.provider.ProviderEmbeddings;
import dev.llmfallback.provider.ProviderRequest;
import dev.llmfallback.provider.ProviderResponse;
import dev.llmfallback.testing.ScriptedProvider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** The start-up checks that keep two models' vectors out of one index, each naming the property. */
class EmbeddingConfigurationTests {

	private static ModelDefinition embedding(String name, String provider, String model, @Nullable Integer dimensions) {
		return ModelDefinition.builder(name).provider(provider).model(model).type(ModelType.EMBEDDING)
			.dimensions(dimensions).build();
	}

	private static FallbackConfigurationException failure(FallbackEngine.Builder builder) {
		return org.assertj.core.api.Assertions.catchThrowableOfType(FallbackConfigurationException.class, builder::build);
	}

	@Test
	void aPolicyMixingChatAndEmbeddingModelsFailsNamingTheModel() {
		FallbackConfigurationException failure = failure(FallbackEngine.builder()
			.provider(ScriptedProvider.replying("p", "ok"))
			.model(ModelDefinition.builder("chat").provider("p").build())
			.model(embedding("vectors", "p", "text-embedding-3-small", null))
			.policy(FallbackPolicy.builder("mixed").models("vectors", "chat").build()));

		assertThat(failure.property()).isEqualTo("policies.mixed.models[1]");
		assertThat(failure.problem()).contains("chat model 'chat'").contains("embedding models");
	}

	@Test
	void anEmbeddingChainWithDifferentDimensionsFailsNamingTheFallback() {
		FallbackConfigurationException failure = failure(FallbackEngine.builder()
			.provider(ScriptedProvider.replying("openai", "ok"))
			.provider(ScriptedProvider.replying("gemini", "ok"))
			.model(embedding("small", "openai", "text-embedding-3-small", null))
			.model(embedding("gecko", "gemini", "text-embedding-004", null))
			.policy(FallbackPolicy.builder("embed").models("small", "gecko").build()));

		assertThat(failure.property()).isEqualTo("policies.embed.models[1]");
		assertThat(failure.problem()).contains("768").contains("1536");
	}

	@Test
	void theSameDimensionsSetOnEachModelMakeAChainValidWhereProvidersShorten() {
		FallbackEngine engine = FallbackEngine.builder()
			.provider(ScriptedProvider.replying("openai", "ok"))
			.provider(ScriptedProvider.replying("gemini", "ok"))
			.model(embedding("large", "openai", "text-embedding-3-large", 768))
			.model(embedding("gecko", "gemini", "text-embedding-004", 768))
			.policy(FallbackPolicy.builder("embed").models("large", "gecko").build())
			.build();

		assertThat(engine.defaultEmbeddingPolicy()).isEqualTo("embed");
	}

	@Test
	void dimensionsAProviderCannotShortenToFailOnTheModel() {
		FallbackConfigurationException failure = failure(FallbackEngine.builder()
			.provider(new FixedLengthProvider())
			.model(embedding("large", "fixed", "text-embedding-3-large", 1024))
			.policy(FallbackPolicy.builder("embed").models("large").build()));

		assertThat(failure.property()).isEqualTo("models.large.dimensions");
		assertThat(failure.problem()).contains("cannot shorten");
	}

	@Test
	void anEmbeddingModelOnAProviderWithoutEmbeddingsFailsNamingItsProvider() {
		FallbackConfigurationException failure = failure(FallbackEngine.builder()
			.provider(new ChatOnlyProvider())
			.model(embedding("vectors", "claude", "text-embedding-3-small", null))
			.policy(FallbackPolicy.builder("embed").models("vectors").build()));

		assertThat(failure.property()).isEqualTo("models.vectors.provider");
		assertThat(failure.problem()).contains("of type anthropic, which has no embeddings");
	}

	@Test
	void aFallbackChainOfModelsTheCatalogueDoesNotKnowNeedsDimensions() {
		FallbackConfigurationException failure = failure(FallbackEngine.builder()
			.provider(ScriptedProvider.replying("p", "ok"))
			.model(embedding("a", "p", "my-embedder", 384))
			.model(embedding("b", "p", "another-embedder", null))
			.policy(FallbackPolicy.builder("embed").models("a", "b").build()));

		assertThat(failure.property()).isEqualTo("models.b.dimensions");
	}

	@Test
	void theDefaultEmbeddingPolicyMustNameAnEmbeddingPolicy() {
		FallbackConfigurationException failure = failure(FallbackEngine.builder()
			.provider(ScriptedProvider.replying("p", "ok"))
			.model(ModelDefinition.builder("chat").provider("p").build())
			.policy(FallbackPolicy.builder("chat").models("chat").build())
			.defaultEmbeddingPolicy("chat"));

		assertThat(failure.property()).isEqualTo("default-embedding-policy");
		assertThat(failure.problem()).contains("chat policy");
	}

	@Test
	void theChatDefaultPolicyMustNotBeAnEmbeddingPolicy() {
		FallbackConfigurationException failure = failure(FallbackEngine.builder()
			.provider(ScriptedProvider.replying("p", "ok"))
			.model(ModelDefinition.builder("chat").provider("p").build())
			.model(embedding("vectors", "p", "text-embedding-3-small", null))
			.policy(FallbackPolicy.builder("chat").models("chat").build())
			.policy(FallbackPolicy.builder("embed").models("vectors").build())
			.defaultPolicy("embed"));

		assertThat(failure.property()).isEqualTo("default-policy");
		assertThat(failure.action()).contains("default-embedding-policy");
	}

	@Test
	void anEmbeddingOnlyConfigurationStarts() {
		FallbackEngine engine = FallbackEngine.builder()
			.provider(ScriptedProvider.replying("p", "ok"))
			.model(embedding("vectors", "p", "text-embedding-3-small", null))
			.policy(FallbackPolicy.builder("embed").models("vectors").build())
			.build();

		assertThat(engine.defaultEmbeddingPolicy()).isEqualTo("embed");
	}

	@Test
	void theCatalogueKnowsTheDefaultLengthOfCommonEmbeddingModels() {
		ModelCatalog catalog = ModelCatalog.builtIn();
		assertThat(catalog.dimensions("text-embedding-3-small")).hasValue(1536);
		assertThat(catalog.dimensions("text-embedding-3-large")).hasValue(3072);
		assertThat(catalog.dimensions("models/text-embedding-004")).hasValue(768);
		assertThat(catalog.dimensions("embed-v4.0")).hasValue(1536);
		assertThat(catalog.dimensions("embed-english-v3.0")).hasValue(1024);
		assertThat(catalog.dimensions("nomic-embed-text")).hasValue(768);
		assertThat(catalog.dimensions("gpt-4o")).isEmpty();
		assertThat(catalog.maxInputTokens("text-embedding-3-small")).hasValue(8191);
	}

	/** An embedding provider that cannot shorten vectors. */
	private static final class FixedLengthProvider implements ChatProvider, EmbeddingProvider {

		@Override
		public String name() {
			return "fixed";
		}

		@Override
		public Mono<ProviderResponse> chat(ProviderRequest request) {
			return Mono.empty();
		}

		@Override
		public Flux<ProviderChunk> stream(ProviderRequest request) {
			return Flux.empty();
		}

		@Override
		public Mono<ProviderEmbeddings> embed(ProviderEmbeddingRequest request) {
			return Mono.empty();
		}

	}

	/** A provider of the anthropic type: chat only. */
	private static final class ChatOnlyProvider implements ChatProvider {

		@Override
		public String name() {
			return "claude";
		}

		@Override
		public String type() {
			return "anthropic";
		}

		@Override
		public Mono<ProviderResponse> chat(ProviderRequest request) {
			return Mono.empty();
		}

		@Override
		public Flux<ProviderChunk> stream(ProviderRequest request) {
			return Flux.empty();
		}

	}

}
