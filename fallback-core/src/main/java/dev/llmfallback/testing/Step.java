package dev.llmfallback.testing;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

import dev.llmfallback.ErrorCategory;
import dev.llmfallback.LlmException;
import dev.llmfallback.LlmException.ClassificationBasis;
import dev.llmfallback.Usage;

/**
 * What a {@link ScriptedProvider} does for one call. Immutable: every modifier returns a new step.
 *
 * <pre>{@code
 * Step.reply("hello").after(Duration.ofSeconds(2))        // answer after 2 s
 * Step.fail(ErrorCategory.RATE_LIMIT).status(429).retryAfter(Duration.ofSeconds(1))
 * Step.chunks("a", "b", "c").every(Duration.ofMillis(10))  // stream three chunks
 * Step.chunks("a", "b").thenFail(ErrorCategory.SERVER_ERROR) // two chunks, then an error
 * Step.hang()                                              // never answers
 * }</pre>
 *
 * For a non-streamed call, chunks are joined into one answer (and a failure after them fails the call).
 */
public final class Step {

	private final List<String> chunks;

	private final LlmException failure;

	private final boolean hang;

	private final Duration delay;

	private final Duration interval;

	private final Usage usage;

	private final String finishReason;

	private final String providerModel;

	private Step(List<String> chunks, LlmException failure, boolean hang, Duration delay, Duration interval, Usage usage,
			String finishReason, String providerModel) {
		this.chunks = chunks;
		this.failure = failure;
		this.hang = hang;
		this.delay = delay;
		this.interval = interval;
		this.usage = usage;
		this.finishReason = finishReason;
		this.providerModel = providerModel;
	}

	/**
	 * Answers with this text (streamed as one chunk).
	 * @param content the answer
	 * @return the step
	 */
	public static Step reply(String content) {
		return new Step(List.of(content), null, false, Duration.ZERO, Duration.ZERO, null, "stop", null);
	}

	/**
	 * Answers with these chunks (joined for a non-streamed call).
	 * @param chunks the text deltas
	 * @return the step
	 */
	public static Step chunks(String... chunks) {
		return new Step(List.of(chunks), null, false, Duration.ZERO, Duration.ZERO, null, "stop", null);
	}

	/**
	 * Fails with a failure of this category, as an adapter would classify it.
	 * @param category the category
	 * @return the step
	 */
	public static Step fail(ErrorCategory category) {
		return fail(LlmException.builder(category)
			.message("scripted " + category.id())
			.basis(ClassificationBasis.CODE)
			.build());
	}

	/**
	 * Fails with this exception.
	 * @param failure the failure
	 * @return the step
	 */
	public static Step fail(LlmException failure) {
		return new Step(List.of(), Objects.requireNonNull(failure), false, Duration.ZERO, Duration.ZERO, null, null,
				null);
	}

	/** @return a step that never answers (until cancelled) */
	public static Step hang() {
		return new Step(List.of(), null, true, Duration.ZERO, Duration.ZERO, null, null, null);
	}

	/**
	 * Waits before answering, failing, or sending the first chunk.
	 * @param delay the wait
	 * @return a new step
	 */
	public Step after(Duration delay) {
		return new Step(this.chunks, this.failure, this.hang, delay, this.interval, this.usage, this.finishReason,
				this.providerModel);
	}

	/**
	 * Waits between chunks of a stream (and before a failure that follows them).
	 * @param interval the wait
	 * @return a new step
	 */
	public Step every(Duration interval) {
		return new Step(this.chunks, this.failure, this.hang, this.delay, interval, this.usage, this.finishReason,
				this.providerModel);
	}

	/**
	 * After the chunks, fails with this category instead of finishing.
	 * @param category the category
	 * @return a new step
	 */
	public Step thenFail(ErrorCategory category) {
		return thenFail(LlmException.builder(category).message("scripted " + category.id() + " mid-stream").build());
	}

	public Step thenFail(LlmException failure) {
		return new Step(this.chunks, failure, this.hang, this.delay, this.interval, this.usage, null,
				this.providerModel);
	}

	/**
	 * After the chunks, neither finishes nor fails: the stream goes silent.
	 * @return a new step
	 */
	public Step thenHang() {
		return new Step(this.chunks, null, true, this.delay, this.interval, this.usage, null, this.providerModel);
	}

	/** Sets the HTTP status of the scripted failure. */
	public Step status(int status) {
		return withFailure(this.failure.toBuilder().httpStatus(status).build());
	}

	/** Sets the {@code Retry-After} of the scripted failure. */
	public Step retryAfter(Duration retryAfter) {
		return withFailure(this.failure.toBuilder().retryAfter(retryAfter).build());
	}

	private Step withFailure(LlmException failure) {
		if (this.failure == null) {
			throw new IllegalStateException("Only a failing step has a status or Retry-After");
		}
		return new Step(this.chunks, failure, this.hang, this.delay, this.interval, this.usage, this.finishReason,
				this.providerModel);
	}

	/** Reports this usage with the answer. */
	public Step usage(Usage usage) {
		return new Step(this.chunks, this.failure, this.hang, this.delay, this.interval, usage, this.finishReason,
				this.providerModel);
	}

	/** Reports this finish reason with the answer. */
	public Step finishReason(String finishReason) {
		return new Step(this.chunks, this.failure, this.hang, this.delay, this.interval, this.usage, finishReason,
				this.providerModel);
	}

	/** Reports this model id with the answer. */
	public Step providerModel(String providerModel) {
		return new Step(this.chunks, this.failure, this.hang, this.delay, this.interval, this.usage, this.finishReason,
				providerModel);
	}

	List<String> chunks() {
		return this.chunks;
	}

	LlmException failure() {
		return this.failure;
	}

	boolean hangs() {
		return this.hang;
	}

	Duration delay() {
		return this.delay;
	}

	Duration interval() {
		return this.interval;
	}

	Usage usage() {
		return this.usage;
	}

	String finishReason() {
		return this.finishReason;
	}

	String providerModel() {
		return this.providerModel;
	}

}
