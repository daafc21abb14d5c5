package dev.llmfallback.provider;

import java.util.List;
import java.util.Objects;

import dev.llmfallback.ToolCall;
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
 * @param toolCalls the tools the model called, with arguments as complete JSON text; empty for none
 */
public record ProviderResponse(String content, @Nullable String finishReason, @Nullable String providerModel,
		@Nullable Usage usage, List<ToolCall> toolCalls) {

	public ProviderResponse {
		Objects.requireNonNull(content, "content");
		toolCalls = (toolCalls != null) ? List.copyOf(toolCalls) : List.of();
	}

	/**
	 * A text answer.
	 * @param content the answer's text
	 * @param finishReason why the model stopped, or {@code null}
	 * @param providerModel the model id the provider reported, or {@code null}
	 * @param usage the tokens the provider reported, or {@code null}
	 */
	public ProviderResponse(String content, @Nullable String finishReason, @Nullable String providerModel,
			@Nullable Usage usage) {
		this(content, finishReason, providerModel, usage, List.of());
	}

	public static ProviderResponse of(String content) {
		return new ProviderResponse(content, "stop", null, null);
	}

}
