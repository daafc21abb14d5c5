package dev.llmfallback.provider;

import java.util.List;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

import dev.llmfallback.EmbeddingRequest.InputType;

/**
 * One embedding call's input for an {@link EmbeddingProvider}: one batch of a request.
 *
 * @param model the model id to send to the provider (the model's {@code model:} property)
 * @param inputs the texts of this call
 * @param dimensions the vector length to ask for, or {@code null} for the model's own
 * @param inputType what the texts are for, or {@code null}
 */
public record ProviderEmbeddingRequest(String model, List<String> inputs, @Nullable Integer dimensions,
		@Nullable InputType inputType) {

	public ProviderEmbeddingRequest {
		Objects.requireNonNull(model, "model");
		inputs = List.copyOf(inputs);
	}

}
