package dev.llmfallback.engine;

import java.util.List;

import org.jspecify.annotations.Nullable;

import dev.llmfallback.ToolCall;
import dev.llmfallback.Usage;
import dev.llmfallback.provider.ProviderChunk;

/**
 * What one stream attempt has seen so far, and the accumulator every wire format's stream shares:
 * the chunks delivered (text or tool-call deltas, either commits the stream), the metadata, and the
 * tool calls being assembled ({@link ToolCallAssembly}). Written only by {@link ChatStreamDriver},
 * from that attempt's serial signals.
 */
final class StreamProgress {

	private final ModelRuntime model;

	private long delivered;

	private @Nullable String finishReason;

	private @Nullable String providerModel;

	private @Nullable Usage usage;

	/** Made on the first tool-call delta: a text stream never has one. */
	private @Nullable ToolCallAssembly toolCalls;

	StreamProgress(ModelRuntime model) {
		this.model = model;
	}

	/**
	 * Takes in a chunk's metadata and tool-call deltas.
	 * @param chunk the provider's chunk
	 * @return whether the chunk carries text or tool-call deltas for the caller
	 * @throws dev.llmfallback.LlmException ({@code invalid_response}) for a tool-call delta that
	 * cannot be folded
	 */
	boolean accept(ProviderChunk chunk) {
		if (chunk.finishReason() != null) {
			this.finishReason = chunk.finishReason();
		}
		if (chunk.providerModel() != null) {
			this.providerModel = chunk.providerModel();
		}
		if (chunk.usage() != null) {
			this.usage = chunk.usage();
		}
		List<ToolCall.Delta> deltas = chunk.toolCallDeltas();
		if (!deltas.isEmpty()) {
			if (this.toolCalls == null) {
				this.toolCalls = new ToolCallAssembly();
			}
			for (ToolCall.Delta delta : deltas) {
				this.toolCalls.accept(delta, this.model);
			}
		}
		else if (chunk.delta().isEmpty()) {
			return false;
		}
		this.delivered++;
		return true;
	}

	/** @return whether text or a tool call reached the caller: from then on, no fallback */
	boolean committed() {
		return this.delivered > 0;
	}

	/** @return whether the stream ended as an answer (text, tool calls, or at least a finish reason) */
	boolean answered() {
		return this.delivered > 0 || this.finishReason != null;
	}

	long delivered() {
		return this.delivered;
	}

	/** @return the finish reason for the caller: {@code tool_calls} for an answer that calls tools */
	@Nullable String finishReason() {
		return (this.toolCalls != null) ? ToolCallAssembly.finishReason(this.finishReason, !this.toolCalls.isEmpty())
				: this.finishReason;
	}

	/**
	 * @return the assembled tool calls, in index order; empty for none
	 * @throws dev.llmfallback.LlmException ({@code invalid_response}) naming a tool whose arguments
	 * are not one JSON object
	 */
	List<ToolCall> toolCalls() {
		return (this.toolCalls != null) ? this.toolCalls.assemble(this.model) : List.of();
	}

	@Nullable String providerModel() {
		return this.providerModel;
	}

	@Nullable Usage usage() {
		return this.usage;
	}

}
