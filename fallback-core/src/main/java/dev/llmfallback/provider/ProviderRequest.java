package dev.llmfallback.provider;

import java.util.Objects;

import dev.llmfallback.ChatRequest;

/**
 * One call's input for a {@link ChatProvider}.
 *
 * @param model the model id to send to the provider (the model's {@code model:} property)
 * @param request the caller's request
 * @param dropUnsupported whether the parts the provider has no equivalent for
 * ({@link ChatProvider#unsupportedParams}) are left out; when {@code false}, meeting one fails the
 * call with category {@code unsupported}
 */
public record ProviderRequest(String model, ChatRequest request, boolean dropUnsupported) {

	public ProviderRequest {
		Objects.requireNonNull(model, "model");
		Objects.requireNonNull(request, "request");
	}

	/**
	 * A call that drops nothing.
	 * @param model the model id to send
	 * @param request the caller's request
	 */
	public ProviderRequest(String model, ChatRequest request) {
		this(model, request, false);
	}

}
