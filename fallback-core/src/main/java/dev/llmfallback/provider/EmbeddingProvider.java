package dev.llmfallback.provider;

import reactor.core.publisher.Mono;

/**
 * What a provider adapter implements beside {@link ChatProvider} when its provider has an
 * embeddings endpoint. A model of {@code type: embedding} may only be served by a provider that
 * implements it: Anthropic's adapter does not, so such a model fails start-up.
 *
 * <p>The contract is {@link ChatProvider}'s: lazy, cancellable, never retrying, failures as
 * classified {@link dev.llmfallback.LlmException}s, never blocking, never logging a key. The
 * engine checks the answer (one vector per input, the expected length, finite numbers) and splits
 * requests larger than {@link #maxBatchSize()}.
 */
public interface EmbeddingProvider {

	/** @return the configured name of this provider */
	String name();

	/**
	 * The most inputs one call may carry, as the provider documents it; the engine sends larger
	 * requests in several calls to the same model and joins the vectors in order.
	 * @return the limit, at least 1
	 */
	default int maxBatchSize() {
		return 96;
	}

	/**
	 * Whether the provider shortens vectors to a requested {@code dimensions} (OpenAI's
	 * {@code dimensions}, Gemini's {@code outputDimensionality}, Cohere's
	 * {@code output_dimension}, Ollama's {@code dimensions}).
	 * @return whether {@link ProviderEmbeddingRequest#dimensions()} is honoured
	 */
	default boolean reducesDimensions() {
		return false;
	}

	/**
	 * Embeds the inputs with the model once.
	 * @param request the model id, the inputs (at most {@link #maxBatchSize()}) and their options
	 * @return one vector per input, or a classified error
	 */
	Mono<ProviderEmbeddings> embed(ProviderEmbeddingRequest request);

}
