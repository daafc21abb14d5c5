package dev.llmfallback.sample.openai;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;

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
		@Nullable CompletionUsage usage) {

	public static final String OBJECT = "chat.completion";

	/**
	 * @param index always 0
	 * @param message the assistant's message
	 * @param finishReason why the answer ended
	 */
	public record Choice(int index, Message message, @JsonProperty("finish_reason") @Nullable String finishReason) {
	}

	/**
	 * @param role always {@code assistant}
	 * @param content the answer's text, {@code null} when the answer only calls tools
	 * @param toolCalls the tools the model called, left out when none
	 */
	public record Message(String role, @JsonInclude(JsonInclude.Include.ALWAYS) @Nullable String content,
			@JsonProperty("tool_calls") @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable List<ToolCall> toolCalls) {

		public Message(String role, @Nullable String content) {
			this(role, content, null);
		}

	}

	/**
	 * One tool call of the answer: {@code {id, type: function, function: {name, arguments}}}.
	 *
	 * @param id the call's id
	 * @param type always {@code function}
	 * @param function the function and its arguments
	 */
	public record ToolCall(String id, String type, Function function) {

		/**
		 * @param calls the engine's tool calls
		 * @return them in OpenAI's form
		 */
		public static List<ToolCall> of(List<dev.llmfallback.ToolCall> calls) {
			return calls.stream()
				.map((call) -> new ToolCall(call.id(), "function", new Function(call.name(), call.arguments())))
				.toList();
		}

	}

	/**
	 * @param name the tool's name
	 * @param arguments the arguments as JSON text
	 */
	public record Function(String name, String arguments) {
	}

}
