package dev.llmfallback.engine;

import dev.llmfallback.EmbeddingRequest;
import dev.llmfallback.event.AttemptEvent;

/**
 * Embeddings as an {@link Operation}: one answer, no capability asked of the model, and a size
 * that is the largest input's, since a model's {@code max-input-tokens} bounds each input of an
 * embedding call rather than their sum.
 */
enum EmbeddingOperation implements Operation<EmbeddingRequest> {

	EMBED;

	@Override
	public String id() {
		return AttemptEvent.EMBEDDINGS;
	}

	@Override
	public boolean streaming() {
		return false;
	}

	@Override
	public int needs(EmbeddingRequest request) {
		return Needs.NONE;
	}

	@Override
	public long tokenUpperBound(EmbeddingRequest request) {
		long largest = 0;
		for (String input : request.inputs()) {
			largest = Math.max(largest, 3L * input.length());
		}
		return largest;
	}

	@Override
	public int estimateTokens(EmbeddingRequest request, TokenEstimator tokens) {
		int largest = 0;
		for (String input : request.inputs()) {
			largest = Math.max(largest, tokens.estimate(input));
		}
		return largest;
	}

}
