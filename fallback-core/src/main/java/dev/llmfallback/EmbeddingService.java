package dev.llmfallback;

import java.util.List;
import java.util.Objects;

import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Embeddings with a fallback policy: each request walks the policy's chain of embedding models
 * with the same retries, cooldowns, deadline and {@code max-attempts} as a chat, and every vector
 * of one answer comes from one model. The policy's models are checked at start-up to give vectors
 * of one length, so that a fallback never mixes two models' vectors in one index.
 *
 * <p>A service is bound to a default policy; a request naming a {@link EmbeddingRequest#policy()
 * policy} uses that one instead.
 */
public interface EmbeddingService {

	/**
	 * Embeds the inputs along the policy's chain.
	 * @param request the request
	 * @return one vector per input from the first model that answered; or a
	 * {@link FallbackExhaustedException} when no model could serve, or an {@link LlmException} of
	 * category {@code bad_request} when the request itself is invalid
	 */
	Mono<EmbeddingResponse> embed(EmbeddingRequest request);

	/**
	 * Blocking convenience for scripts, batch jobs and tests: the vectors of these texts.
	 * @param inputs the texts
	 * @return one vector per input, in input order
	 * @throws IllegalStateException when called on a non-blocking (Reactor) thread
	 */
	default List<float[]> embed(List<String> inputs) {
		if (Schedulers.isInNonBlockingThread()) {
			throw new IllegalStateException("EmbeddingService.embed(List) blocks and cannot run on the non-blocking thread '"
					+ Thread.currentThread().getName() + "': use embed(EmbeddingRequest) and compose the Mono "
					+ "reactively, or call it from a thread that may block (e.g. "
					+ "subscribeOn(Schedulers.boundedElastic()) or a servlet thread)");
		}
		// The engine ends every request with an answer or an error, never empty.
		return Objects.requireNonNull(embed(EmbeddingRequest.of(inputs)).map(EmbeddingResponse::embeddings).block());
	}

}
