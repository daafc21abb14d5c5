package dev.llmfallback.springai;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import org.jspecify.annotations.Nullable;
import org.springframework.ai.document.Document;
import org.springframework.ai.embedding.Embedding;
import org.springframework.ai.embedding.EmbeddingModel;
import org.springframework.ai.embedding.EmbeddingOptions;
import org.springframework.ai.embedding.EmbeddingRequest;
import org.springframework.ai.embedding.EmbeddingResponse;
import org.springframework.ai.embedding.EmbeddingResponseMetadata;
import org.springframework.util.Assert;

import dev.llmfallback.EmbeddingService;
import dev.llmfallback.ErrorCategory;
import dev.llmfallback.LlmException;
import dev.llmfallback.engine.FallbackEngine;
import dev.llmfallback.policy.FallbackPolicy;
import dev.llmfallback.policy.ModelCatalog;
import dev.llmfallback.policy.ModelDefinition;

/**
 * The embedding chain as a Spring AI {@link EmbeddingModel}, so that a {@code VectorStore} embeds
 * through it. {@link #dimensions()} answers from configuration (the chain's models all give the
 * same number, checked at start-up) rather than with Spring AI's default live call.
 */
public final class FallbackEmbeddingModel implements EmbeddingModel {

	private final FallbackEngine engine;

	private final @Nullable String policy;

	/**
	 * @param engine the engine
	 * @param policy the embedding policy to walk, or {@code null} for the engine's default one
	 */
	public FallbackEmbeddingModel(FallbackEngine engine, @Nullable String policy) {
		this.engine = engine;
		this.policy = policy;
	}

	@Override
	public EmbeddingResponse call(EmbeddingRequest request) {
		dev.llmfallback.EmbeddingRequest ours = dev.llmfallback.EmbeddingRequest.of(request.getInstructions());
		EmbeddingOptions options = request.getOptions();
		if (options != null && options.getModel() != null && !options.getModel().isBlank()) {
			throw LlmException.builder(ErrorCategory.BAD_REQUEST)
				.message("the embedding option model '" + options.getModel()
						+ "' cannot be honoured: FallbackEmbeddingModel walks llm.fallback.spring-ai.embedding-policy")
				.build();
		}
		if (options != null && options.getDimensions() != null) {
			ours = ours.withDimensions(options.getDimensions());
		}
		dev.llmfallback.EmbeddingResponse response = service().embed(ours).block();
		if (response == null) {
			throw new IllegalStateException("the embedding chain completed without an answer");
		}
		List<Embedding> embeddings = new ArrayList<>();
		for (int i = 0; i < response.embeddings().size(); i++) {
			embeddings.add(new Embedding(response.embeddings().get(i), i));
		}
		EmbeddingResponseMetadata metadata = new EmbeddingResponseMetadata(
				(response.providerModel() != null) ? response.providerModel() : response.servedBy(),
				(response.usage() != null) ? new org.springframework.ai.chat.metadata.DefaultUsage(
						Math.toIntExact(response.usage().inputTokens()), 0,
						Math.toIntExact(response.usage().totalTokens()), response.usage())
						: new org.springframework.ai.chat.metadata.EmptyUsage(),
				java.util.Map.of(ChatResponseMapping.SERVED_BY, response.servedBy(), ChatResponseMapping.ATTEMPTS,
						response.attempts()));
		return new EmbeddingResponse(embeddings, metadata);
	}

	@Override
	public float[] embed(Document document) {
		String text = getEmbeddingContent(document);
		// What embed(String) asserts: a document without text (media only) has nothing to embed here.
		Assert.notNull(text, "Text must not be null");
		return embed(text);
	}

	/** @return the dimensions of the chain's first model, from configuration or the catalogue */
	@Override
	public int dimensions() {
		String name = (this.policy != null) ? this.policy : this.engine.defaultEmbeddingPolicy();
		FallbackPolicy chain = (name != null) ? this.engine.policies().get(name) : null;
		if (chain == null || chain.models().isEmpty()) {
			throw new IllegalStateException("FallbackEmbeddingModel has no embedding policy: set "
					+ "llm.fallback.spring-ai.embedding-policy or llm.fallback.default-embedding-policy");
		}
		// The engine checked at start-up that every model of a chain is configured.
		ModelDefinition first = Objects.requireNonNull(this.engine.models().get(chain.models().get(0)));
		if (first.dimensions() != null) {
			return first.dimensions();
		}
		return ModelCatalog.builtIn()
			.dimensions(first.catalogId())
			.orElseThrow(() -> new IllegalStateException("model '" + first.name()
					+ "' has no dimensions: set llm.fallback.models." + first.name() + ".dimensions"));
	}

	private EmbeddingService service() {
		return (this.policy != null) ? this.engine.embeddingService(this.policy) : this.engine.embeddingService();
	}

}
