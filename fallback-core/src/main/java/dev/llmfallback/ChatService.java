package dev.llmfallback;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

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

}
