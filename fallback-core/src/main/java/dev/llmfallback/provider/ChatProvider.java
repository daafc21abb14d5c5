package dev.llmfallback.provider;

import java.util.List;

import dev.llmfallback.ChatRequest;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * What a provider adapter implements: one reactive call and one stream against one configured
 * provider (an account at OpenAI, an Anthropic key, a local Ollama...).
 *
 * <p>Contract:
 * <ul>
 * <li>Both methods are lazy: nothing is sent before subscription, and cancelling the subscription
 * aborts the call at once.</li>
 * <li>A failure is signalled as an {@link dev.llmfallback.LlmException} whose category,
 * HTTP status and {@code Retry-After} the adapter classified. Anything else that escapes is
 * classified by the engine from its type (timeouts, connection errors, else
 * {@code invalid_response}).</li>
 * <li>An adapter never retries on its own: the engine owns every retry, so retries cannot multiply.</li>
 * <li>Timeouts are applied by the engine; an adapter needs none of its own beyond connect timeouts.</li>
 * <li>Never block, never log an API key.</li>
 * </ul>
 */
public interface ChatProvider {

	/**
	 * The configured name of this provider (the key under {@code llm.fallback.providers}).
	 * @return the provider's name
	 */
	String name();

	/**
	 * The kind of provider, as in {@code type:} ({@code openai}, {@code anthropic}, ...); custom
	 * providers may return any short lower-case word.
	 * @return the provider's type
	 */
	default String type() {
		return "custom";
	}

	/**
	 * Calls the model once.
	 * @param request the model id and the request
	 * @return the answer, or a classified error
	 */
	Mono<ProviderResponse> chat(ProviderRequest request);

	/**
	 * Streams the model's answer once. Chunks with neither text, finish reason nor usage may be
	 * left out. A stream that ends without a finish reason is treated as complete.
	 * @param request the model id and the request
	 * @return the chunks, or a classified error
	 */
	Flux<ProviderChunk> stream(ProviderRequest request);

	/**
	 * The parts of a request this provider has no equivalent for, so that nothing is dropped
	 * unseen. The engine asks before each call: a model whose provider names anything is skipped
	 * as {@code unsupported}, unless its policy sets {@code drop-unsupported-params}; then the call
	 * goes ahead with {@link ProviderRequest#dropUnsupported()} set, the adapter leaves those parts
	 * out, and the names reach the caller as {@link dev.llmfallback.ChatResponse#droppedParams()}.
	 * Names follow OpenAI's Chat Completions API ({@code logprobs}, {@code seed},
	 * {@code messages[].name}, {@code image_url}). Pure and cheap: asked once per model per request.
	 * @param request the caller's request
	 * @return the names, empty when the provider can carry everything (the default)
	 */
	default List<String> unsupportedParams(ChatRequest request) {
		return List.of();
	}

	/**
	 * How many input tokens one image is estimated to cost on this provider, for the
	 * context-window pre-check. Providers document their own figure.
	 * @return the estimate
	 */
	default int imageTokens() {
		return 1000;
	}

}
