package dev.llmfallback.sample.openai;

import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;

import dev.llmfallback.Usage;

/**
 * Tokens used, as OpenAI reports them.
 *
 * @param promptTokens input tokens
 * @param completionTokens output tokens
 * @param totalTokens both
 */
public record CompletionUsage(@JsonProperty("prompt_tokens") long promptTokens,
		@JsonProperty("completion_tokens") long completionTokens, @JsonProperty("total_tokens") long totalTokens) {

	/**
	 * @param usage the engine's usage, or {@code null}
	 * @return OpenAI's form, or {@code null}
	 */
	public static @Nullable CompletionUsage of(@Nullable Usage usage) {
		return (usage != null) ? new CompletionUsage(usage.inputTokens(), usage.outputTokens(), usage.totalTokens())
				: null;
	}

}
