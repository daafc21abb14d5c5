package dev.llmfallback;

import java.util.List;

/**
 * A stream failed after its first chunk had reached the caller. Falling back is no longer possible
 * (the caller already holds part of an answer), so the stream ends with this error rather than
 * being cut silently. Carries the failure's category and every attempt of the walk.
 */
public class StreamInterruptedException extends LlmException {

	private final long deliveredChunks;

	public StreamInterruptedException(LlmException cause, List<Attempt> attempts, long deliveredChunks) {
		super(cause.toBuilder()
			.message("Stream from model '" + cause.model() + "' failed after " + deliveredChunks
					+ " chunk(s) had been delivered (" + cause.category().id() + "): " + cause.getMessage())
			.cause(cause)
			.attempts(attempts));
		this.deliveredChunks = deliveredChunks;
	}

	/** @return how many chunks reached the caller before the failure */
	public long deliveredChunks() {
		return this.deliveredChunks;
	}

}
