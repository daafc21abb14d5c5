package dev.llmfallback.provider.http;

import java.util.Locale;

import org.jspecify.annotations.Nullable;

/**
 * Normalises the providers' finish reasons to the lower-case OpenAI vocabulary: {@code stop},
 * {@code length}, {@code content_filter}, {@code tool_calls}; others stay as they are, in lower case.
 *
 * <p>Public for the per-format mappings in their own packages.
 */
public final class FinishReasons {

	private FinishReasons() {
	}

	/**
	 * Normalises a provider's finish reason.
	 * @param reason the provider's word (may be {@code null})
	 * @return the normalised reason, or {@code null}
	 */
	public static @Nullable String normalize(@Nullable String reason) {
		if (reason == null || reason.isBlank()) {
			return null;
		}
		String lower = reason.trim().toLowerCase(Locale.ROOT);
		return switch (lower) {
			case "stop", "end_turn", "stop_sequence", "complete", "eos", "finish_reason_stop", "end" -> "stop";
			case "length", "max_tokens", "max_output_tokens", "model_length", "model_context_window_exceeded" -> "length";
			case "content_filter", "safety", "prohibited_content", "blocklist", "spii", "recitation", "refusal",
					"image_safety", "error_toxic" ->
				"content_filter";
			case "tool_calls", "tool_use", "tool_call", "function_call" -> "tool_calls";
			default -> lower;
		};
	}

}
