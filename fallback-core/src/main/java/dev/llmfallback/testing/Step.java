package dev.llmfallback.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

import org.jspecify.annotations.Nullable;

import dev.llmfallback.ErrorCategory;
import dev.llmfallback.LlmException;
import dev.llmfallback.LlmException.ClassificationBasis;
import dev.llmfallback.ToolCall;
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
 * Step.toolCalls(new ToolCall("call_1", "weather", "{\"city\":\"Paris\"}")) // calls a tool
 * }</pre>
 *
 * For a non-streamed call, chunks are joined into one answer (and a failure after them fails the call).
 */
public final class Step {

	private final List<String> chunks;

	private final @Nullable LlmException failure;

	private final boolean hang;

	private final Duration delay;

	private final Duration interval;

	private final @Nullable Usage usage;

	private final @Nullable String finishReason;

	private final @Nullable String providerModel;

	/** Tool-call deltas streamed after the text chunks; empty for none. */
	private final List<ToolCall.Delta> toolCallDeltas;

	private Step(List<String> chunks, @Nullable LlmException failure, boolean hang, Duration delay, Duration interval,
			@Nullable Usage usage, @Nullable String finishReason, @Nullable String providerModel) {
		this(chunks, failure, hang, delay, interval, usage, finishReason, providerModel, List.of());
	}

	private Step(List<String> chunks, @Nullable LlmException failure, boolean hang, Duration delay, Duration interval,
			@Nullable Usage usage, @Nullable String finishReason, @Nullable String providerModel,
			List<ToolCall.Delta> toolCallDeltas) {
		this.toolCallDeltas = toolCallDeltas;
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
	 * Answers by calling these tools (finish reason {@code tool_calls}). Streamed, each call comes as
	 * two deltas, as OpenAI streams them: its index, id, name and the first half of its arguments,
	 * then the rest of its arguments.
	 * @param calls the calls, in order
	 * @return the step
	 */
	public static Step toolCalls(ToolCall... calls) {
		List<ToolCall.Delta> deltas = new ArrayList<>();
		for (int i = 0; i < calls.length; i++) {
			String arguments = calls[i].arguments();
			int half = arguments.length() / 2;
			deltas.add(new ToolCall.Delta(i, calls[i].id(), calls[i].name(), arguments.substring(0, half)));
			deltas.add(new ToolCall.Delta(i, null, null, arguments.substring(half)));
		}
		return toolCallDeltas(deltas.toArray(ToolCall.Delta[]::new));
	}

	/**
	 * Answers with exactly these tool-call deltas (finish reason {@code tool_calls}), each streamed
	 * as its own chunk: a script for a provider that streams them out of order, without an id, or
	 * with arguments that are not JSON. A non-streamed call folds them by index as they are.
	 * @param deltas the deltas, in order
	 * @return the step
	 */
	public static Step toolCallDeltas(ToolCall.Delta... deltas) {
		return new Step(List.of(), null, false, Duration.ZERO, Duration.ZERO, null, "tool_calls", null,
				List.of(deltas));
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
				this.providerModel, this.toolCallDeltas);
	}

	/**
	 * Waits between chunks of a stream (and before a failure that follows them).
	 * @param interval the wait
	 * @return a new step
	 */
	public Step every(Duration interval) {
		return new Step(this.chunks, this.failure, this.hang, this.delay, interval, this.usage, this.finishReason,
				this.providerModel, this.toolCallDeltas);
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
				this.providerModel, this.toolCallDeltas);
	}

	/**
	 * After the chunks, neither finishes nor fails: the stream goes silent.
	 * @return a new step
	 */
	public Step thenHang() {
		return new Step(this.chunks, null, true, this.delay, this.interval, this.usage, null, this.providerModel,
				this.toolCallDeltas);
	}

	/** Sets the HTTP status of the scripted failure. */
	public Step status(int status) {
		return withFailure(scriptedFailure("status").toBuilder().httpStatus(status).build());
	}

	/** Sets the {@code Retry-After} of the scripted failure. */
	public Step retryAfter(Duration retryAfter) {
		return withFailure(scriptedFailure("retryAfter").toBuilder().retryAfter(retryAfter).build());
	}

	private LlmException scriptedFailure(String setting) {
		if (this.failure == null) {
			throw new IllegalStateException(setting + "(...) sets the scripted failure's; this step has none: "
					+ "start from Step.fail(...) or add thenFail(...)");
		}
		return this.failure;
	}

	private Step withFailure(LlmException failure) {
		if (this.failure == null) {
			throw new IllegalStateException("Only a failing step has a status or Retry-After");
		}
		return new Step(this.chunks, failure, this.hang, this.delay, this.interval, this.usage, this.finishReason,
				this.providerModel, this.toolCallDeltas);
	}

	/** Reports this usage with the answer. */
	public Step usage(Usage usage) {
		return new Step(this.chunks, this.failure, this.hang, this.delay, this.interval, usage, this.finishReason,
				this.providerModel, this.toolCallDeltas);
	}

	/** Reports this finish reason with the answer. */
	public Step finishReason(String finishReason) {
		return new Step(this.chunks, this.failure, this.hang, this.delay, this.interval, this.usage, finishReason,
				this.providerModel, this.toolCallDeltas);
	}

	/** Reports this model id with the answer. */
	public Step providerModel(String providerModel) {
		return new Step(this.chunks, this.failure, this.hang, this.delay, this.interval, this.usage, this.finishReason,
				providerModel, this.toolCallDeltas);
	}

	List<String> chunks() {
		return this.chunks;
	}

	List<ToolCall.Delta> toolCallDeltas() {
		return this.toolCallDeltas;
	}

	/** The deltas folded by index, for a non-streamed call: first id and name, arguments appended. */
	List<ToolCall> toolCalls() {
		Map<Integer, ToolCall.Delta> first = new TreeMap<>();
		Map<Integer, StringBuilder> arguments = new TreeMap<>();
		for (ToolCall.Delta delta : this.toolCallDeltas) {
			first.putIfAbsent(delta.index(), delta);
			arguments.computeIfAbsent(delta.index(), (index) -> new StringBuilder()).append(delta.arguments());
		}
		List<ToolCall> calls = new ArrayList<>(first.size());
		first.forEach((index, delta) -> calls.add(new ToolCall(Objects.toString(delta.id(), ""),
				Objects.toString(delta.name(), ""), String.valueOf(arguments.get(index)))));
		return calls;
	}

	@Nullable LlmException failure() {
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

	@Nullable Usage usage() {
		return this.usage;
	}

	@Nullable String finishReason() {
		return this.finishReason;
	}

	@Nullable String providerModel() {
		return this.providerModel;
	}

}
