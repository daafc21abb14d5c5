package dev.llmfallback.provider;

import dev.llmfallback.Usage;
import org.jspecify.annotations.Nullable;

/**
 * A piece of a provider's streamed answer.
 *
 * @param delta the text this chunk adds (empty for none)
 * @param finishReason why the model stopped, on the chunk that says so; else {@code null}
 * @param providerModel the model id the provider reported, where the chunk carries it
 * @param usage token counts, where the chunk carries them (usually the last)
 */
public record ProviderChunk(String delta, @Nullable String finishReason, @Nullable String providerModel,
		@Nullable Usage usage) {

	public ProviderChunk {
		delta = (delta != null) ? delta : "";
	}

	public static ProviderChunk text(String delta) {
		return new ProviderChunk(delta, null, null, null);
	}

	public static ProviderChunk finish(@Nullable String finishReason, @Nullable Usage usage) {
		return new ProviderChunk("", finishReason, null, usage);
	}

	/**
	 * Whether the chunk carries anything at all.
	 * @return {@code false} for a chunk with no text, finish reason, model or usage
	 */
	public boolean hasContent() {
		return !this.delta.isEmpty() || this.finishReason != null || this.usage != null || this.providerModel != null;
	}

}
