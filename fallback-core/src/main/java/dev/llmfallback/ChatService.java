package dev.llmfallback;

import java.util.Objects;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Chat with a fallback policy: each call walks the policy's chain of models, retrying, skipping
 * and hopping as the policy says, and reports every attempt in its answer.
 *
 * <p>A service is bound to a default policy; a request naming a {@link ChatRequest#policy()
 * policy} uses that one instead.
 */
public interface ChatService {

	/**
	 * Sends the request along the policy's chain.
	 * @param request the request
	 * @return the first successful answer; or a {@link FallbackExhaustedException} when no model
	 * could serve, or an {@link LlmException} of category {@code bad_request} when the request
	 * itself is invalid
	 */
	Mono<ChatResponse> chat(ChatRequest request);

	/**
	 * Streams the answer. The walk retries and falls back only until the first chunk reaches the
	 * subscriber; a failure after that ends the stream with a {@link StreamInterruptedException}.
	 * @param request the request
	 * @return the chunks; the last one carries finish reason, usage, the serving model and the attempts
	 */
	Flux<ChatChunk> stream(ChatRequest request);

	/**
	 * Blocking convenience for scripts and tests: one user prompt, the answer's text.
	 * @param prompt the user's text
	 * @return the answer's content
	 * @throws IllegalStateException when called on a non-blocking (Reactor) thread
	 */
	String call(String prompt);

	/**
	 * Blocking convenience for scripts and tests: one user prompt sent along a named policy, the
	 * answer's text.
	 * @param policy the policy's name
	 * @param prompt the user's text
	 * @return the answer's content
	 * @throws IllegalStateException when called on a non-blocking (Reactor) thread
	 * @throws LlmException of category {@code bad_request} for an unknown policy
	 */
	default String call(String policy, String prompt) {
		refuseNonBlockingThread();
		// The engine ends every request with an answer or an error, never empty.
		return Objects.requireNonNull(
				chat(ChatRequest.builder().policy(policy).user(prompt).build()).map(ChatResponse::content).block());
	}

	/**
	 * Fails a blocking call made on a thread that must never block (a Reactor event loop or
	 * parallel worker), naming both ways out.
	 */
	private static void refuseNonBlockingThread() {
		if (Schedulers.isInNonBlockingThread()) {
			throw new IllegalStateException("ChatService.call blocks and cannot run on the non-blocking thread '"
					+ Thread.currentThread().getName() + "': use chat(ChatRequest) and compose the Mono reactively, "
					+ "or call it from a thread that may block (e.g. subscribeOn(Schedulers.boundedElastic()) or a "
					+ "servlet thread)");
		}
	}

}
