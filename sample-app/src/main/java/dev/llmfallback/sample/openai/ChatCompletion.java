package dev.llmfallback.sample.openai;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A non-streamed answer, OpenAI's {@code chat.completion} object.
 *
 * @param id {@code chatcmpl-...}
 * @param object always {@code chat.completion}
 * @param created seconds since the epoch
 * @param model the configured model that served the answer
 * @param choices the one choice
 * @param usage tokens used, where the provider reported them
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ChatCompletion(String id, String object, long created, String model, List<Choice> choices,
		CompletionUsage usage) {

	public static final String OBJECT = "chat.completion";

	/**
	 * @param index always 0
	 * @param message the assistant's message
	 * @param finishReason why the answer ended
	 */
	public record Choice(int index, Message message, @JsonProperty("finish_reason") String finishReason) {
	}

	/**
	 * @param role always {@code assistant}
	 * @param content the answer's text, {@code null} when the answer is only tool calls
	 * @param toolCalls the tools the model called, left out when none
	 */
	@JsonInclude(JsonInclude.Include.ALWAYS)
	public record Message(String role, String content,
			@JsonProperty("tool_calls") @JsonInclude(JsonInclude.Include.NON_EMPTY) List<ToolCall> toolCalls) {
	}

	/**
	 * A tool call as OpenAI writes it.
	 *
	 * @param id the call's id
	 * @param type always {@code function}
	 * @param function the function's name and arguments
	 */
	public record ToolCall(String id, String type, Function function) {

		public static ToolCall of(dev.llmfallback.ToolCall call) {
			return new ToolCall(call.id(), "function", new Function(call.name(), call.arguments()));
		}

	}

	/**
	 * @param name the function's name
	 * @param arguments its arguments, JSON text
	 */
	public record Function(String name, String arguments) {
	}

}
