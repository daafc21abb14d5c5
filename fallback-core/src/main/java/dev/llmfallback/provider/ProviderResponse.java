package dev.llmfallback.provider;

import java.util.Objects;

import dev.llmfallback.Usage;
import org.jspecify.annotations.Nullable;

/**
 * A provider's successful answer to one call.
 *
 * @param content the answer's text
 * @param finishReason why the model stopped, in the provider's words normalised to lower case
 * ({@code stop}, {@code length}, ...), or {@code null}
 * @param providerModel the model id the provider reported, or {@code null}
 * @param usage the tokens the provider reported, or {@code null}
 */
public record ProviderResponse(String content, @Nullable String finishReason, @Nullable String providerModel,
		@Nullable Usage usage) {

	public ProviderResponse {
		Objects.requireNonNull(content, "content");
	}

	public static ProviderResponse of(String content) {
		return new ProviderResponse(content, "stop", null, null);
	}

}
