package dev.llmfallback.provider;

import java.util.List;

import dev.llmfallback.ToolCall;
import dev.llmfallback.Usage;
import org.jspecify.annotations.Nullable;

/**
 * A piece of a provider's streamed answer.
 *
 * @param delta the text this chunk adds (empty for none)
 * @param finishReason why the model stopped, on the chunk that says so; else {@code null}
 * @param providerModel the model id the provider reported, where the chunk carries it
 * @param usage token counts, where the chunk carries them (usually the last)
 * @param toolCallDeltas pieces of tool calls, numbered from 0 among the answer's tool calls (a
 * format that sends a call whole sends one delta with all its arguments); empty for none
 */
public record ProviderChunk(String delta, @Nullable String finishReason, @Nullable String providerModel,
		@Nullable Usage usage, List<ToolCall.Delta> toolCallDeltas) {

	public ProviderChunk {
		delta = (delta != null) ? delta : "";
		toolCallDeltas = (toolCallDeltas != null) ? List.copyOf(toolCallDeltas) : List.of();
	}

	/**
	 * A chunk without tool calls.
	 * @param delta the text this chunk adds
	 * @param finishReason why the model stopped, or {@code null}
	 * @param providerModel the model id the provider reported, or {@code null}
	 * @param usage token counts, or {@code null}
	 */
	public ProviderChunk(String delta, @Nullable String finishReason, @Nullable String providerModel,
			@Nullable Usage usage) {
		this(delta, finishReason, providerModel, usage, List.of());
	}

	/**
	 * A chunk carrying pieces of tool calls.
	 * @param deltas the pieces
	 * @return the chunk
	 */
	public static ProviderChunk toolCalls(List<ToolCall.Delta> deltas) {
		return new ProviderChunk("", null, null, null, deltas);
	}

	public static ProviderChunk text(String delta) {
		return new ProviderChunk(delta, null, null, null);
	}

	public static ProviderChunk finish(@Nullable String finishReason, @Nullable Usage usage) {
		return new ProviderChunk("", finishReason, null, usage);
	}

	/**
	 * Whether the chunk carries anything at all.
	 * @return {@code false} for a chunk with no text, tool call, finish reason, model or usage
	 */
	public boolean hasContent() {
		return !this.delta.isEmpty() || !this.toolCallDeltas.isEmpty() || this.finishReason != null || this.usage != null || this.providerModel != null;
	}

}
