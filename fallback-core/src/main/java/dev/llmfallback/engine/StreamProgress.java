package dev.llmfallback.engine;

import dev.llmfallback.Usage;
import dev.llmfallback.provider.ProviderChunk;

/**
 * What one stream attempt has seen so far: written only by {@link ChatStreamDriver}, from that
 * attempt's serial signals. The rich-chat step grows it into the accumulator of tool-call deltas.
 */
final class StreamProgress {

	private long delivered;

	private String finishReason;

	private String providerModel;

	private Usage usage;

	/**
	 * Takes in a chunk's metadata.
	 * @param chunk the provider's chunk
	 * @return whether the chunk carries text for the caller
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
		if (chunk.delta().isEmpty()) {
			return false;
		}
		this.delivered++;
		return true;
	}

	/** @return whether text reached the caller: from then on, no fallback */
	boolean committed() {
		return this.delivered > 0;
	}

	/** @return whether the stream ended as an answer (text, or at least a finish reason) */
	boolean answered() {
		return this.delivered > 0 || this.finishReason != null;
	}

	long delivered() {
		return this.delivered;
	}

	String finishReason() {
		return this.finishReason;
	}

	String providerModel() {
		return this.providerModel;
	}

	Usage usage() {
		return this.usage;
	}

}
