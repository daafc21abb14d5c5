package dev.llmfallback.provider;

import java.util.Objects;

import dev.llmfallback.ChatRequest;

/**
 * One call's input for a {@link ChatProvider}.
 *
 * @param model the model id to send to the provider (the model's {@code model:} property)
 * @param request the caller's request
 */
public record ProviderRequest(String model, ChatRequest request) {

	public ProviderRequest {
		Objects.requireNonNull(model, "model");
		Objects.requireNonNull(request, "request");
	}

}
