package dev.llmfallback.engine;

import java.util.List;

/**
 * What a kind of request is to the walk, without the walk knowing what is inside it: whether its
 * answer streams, what it needs of a model, and how large its prompt is. One stateless instance
 * per operation (chat, chat stream; embeddings later), shared by every request.
 *
 * @param <R> the request type
 */
interface Operation<R> {

	/**
	 * @return the operation's name in events and meters, as the GenAI conventions name it:
	 * {@code chat} or {@code embeddings}
	 */
	String id();

	/** @return whether the answer streams: the first-token timeout then bounds an attempt */
	boolean streaming();

	/**
	 * @param request the request
	 * @return the {@link Needs} bits a model must have to serve it
	 */
	int needs(R request);

	/**
	 * A bound the prompt's token count never exceeds, computed without tokenizing.
	 * @param request the request
	 * @return the bound
	 */
	long tokenUpperBound(R request);

	/**
	 * Counts the prompt's tokens (only asked when the cheap bound does not already show a fit).
	 * @param request the request
	 * @param tokens the engine's estimator
	 * @return the estimated input tokens
	 */
	int estimateTokens(R request, TokenEstimator tokens);

	/**
	 * What of the request a model's provider has no equivalent for. Asked only for requests whose
	 * {@link #needs} hold {@link Needs#PARAMS}.
	 * @param model the model
	 * @param request the request
	 * @return the parameters' names, empty when the provider carries everything
	 */
	default List<String> unsupportedParams(ModelRuntime model, R request) {
		return List.of();
	}

	/**
	 * How many images the prompt holds, each costing a model its provider's
	 * {@code imageTokens()}. Asked only for requests whose {@link #needs} hold {@link Needs#VISION}.
	 * @param request the request
	 * @return the count
	 */
	default int images(R request) {
		return 0;
	}

}
