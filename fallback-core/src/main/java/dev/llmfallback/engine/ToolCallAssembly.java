package dev.llmfallback.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

import dev.llmfallback.LlmException;
import dev.llmfallback.ToolCall;

/**
 * Folds a stream's tool-call deltas into whole calls, the same way for every wire format (each
 * format's decoder numbers its calls 0..n and sends a call's id and name on its first delta). A call
 * keeps its first delta's id and name; later deltas append fragments of its arguments. Checked as
 * it goes (a delta for a call whose predecessors never began, or a call's first delta without an
 * id or name) and once at the end (each call's arguments must be one JSON object), so that a broken
 * stream fails {@code invalid_response} naming the tool instead of handing the caller a call it
 * cannot run. Written only from one attempt's serial signals.
 */
final class ToolCallAssembly {

	/** The calls begun so far, by index. */
	private final List<Part> calls = new ArrayList<>(2);

	/**
	 * Takes in one delta.
	 * @param delta the delta
	 * @param model the model streaming, for the failure's message
	 * @throws LlmException ({@code invalid_response}) for a gap in the indexes, or a first delta
	 * without an id or name
	 */
	void accept(ToolCall.Delta delta, ModelRuntime model) {
		int index = delta.index();
		if (index < this.calls.size()) {
			this.calls.get(index).arguments.append(delta.arguments());
			return;
		}
		if (index > this.calls.size()) {
			throw Failures.invalidToolCall(model, "streamed a delta of tool call " + index + " before tool call "
					+ this.calls.size() + " began");
		}
		if (isBlank(delta.id()) || isBlank(delta.name())) {
			throw Failures.invalidToolCall(model, "began tool call " + index
					+ ((isBlank(delta.name()) ? " without the tool's name" : " ('" + delta.name() + "') without an id")));
		}
		// Both checked just above: neither is blank, so neither is null.
		this.calls.add(new Part(Objects.requireNonNull(delta.id()), Objects.requireNonNull(delta.name()),
				new StringBuilder(delta.arguments())));
	}

	/**
	 * The calls, whole.
	 * @param model the model that streamed them, for the failure's message
	 * @return the calls in index order
	 * @throws LlmException ({@code invalid_response}) naming the tool whose arguments are not one
	 * JSON object
	 */
	List<ToolCall> assemble(ModelRuntime model) {
		List<ToolCall> assembled = new ArrayList<>(this.calls.size());
		for (Part part : this.calls) {
			String arguments = part.arguments.toString();
			if (!arguments.isBlank() && !JsonText.isObject(arguments)) {
				throw Failures.invalidToolCall(model, "streamed arguments of tool call '" + part.name
						+ "' (id " + part.id + ") that are not one JSON object");
			}
			assembled.add(new ToolCall(part.id, part.name, arguments.isBlank() ? "{}" : arguments));
		}
		return assembled;
	}

	boolean isEmpty() {
		return this.calls.isEmpty();
	}

	/**
	 * The finish reason of an answer: one that calls tools says {@code tool_calls} where its format
	 * said only {@code stop} or nothing (a truncated one keeps {@code length}).
	 * @param finishReason what the provider said, or {@code null}
	 * @param callsTools whether the answer calls tools
	 * @return the finish reason for the caller
	 */
	static @Nullable String finishReason(@Nullable String finishReason, boolean callsTools) {
		return (callsTools && (finishReason == null || "stop".equals(finishReason))) ? "tool_calls" : finishReason;
	}

	private static boolean isBlank(@Nullable String text) {
		return text == null || text.isBlank();
	}

	private record Part(String id, String name, StringBuilder arguments) {
	}

}
