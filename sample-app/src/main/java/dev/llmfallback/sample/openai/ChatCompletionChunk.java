package dev.llmfallback.sample.openai;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;

import dev.llmfallback.Attempt;

/**
 * One event of a streamed answer, OpenAI's {@code chat.completion.chunk} object. The chunk that
 * carries the finish reason also carries {@code x_fallback} (the model that served, the attempts);
 * a usage chunk has no choices.
 *
 * @param id the same for every chunk of an answer
 * @param object always {@code chat.completion.chunk}
 * @param created seconds since the epoch
 * @param model the configured model that served the answer
 * @param choices one choice, or none in the usage chunk
 * @param usage tokens used, in the usage chunk only
 * @param fallback how the answer was served, in the finishing chunk only
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ChatCompletionChunk(String id, String object, long created, @Nullable String model, List<Choice> choices,
		@Nullable CompletionUsage usage, @JsonProperty("x_fallback") @Nullable Fallback fallback) {

	public static final String OBJECT = "chat.completion.chunk";

	/**
	 * @param index always 0
	 * @param delta the new text, empty in the finishing chunk
	 * @param finishReason why the answer ended, {@code null} until then
	 */
	@JsonInclude(JsonInclude.Include.ALWAYS)
	public record Choice(int index, Delta delta, @JsonProperty("finish_reason") @Nullable String finishReason) {
	}

	/**
	 * @param role {@code assistant} in the first delta only
	 * @param content the new text, or {@code null} in the finishing chunk and in tool-call deltas
	 * @param toolCalls pieces of tool calls, or {@code null}
	 */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	public record Delta(@Nullable String role, @Nullable String content,
			@JsonProperty("tool_calls") @Nullable List<ToolCallDelta> toolCalls) {

		public Delta(@Nullable String content) {
			this(null, content, null);
		}

	}

	/**
	 * A piece of a tool call: the first of a call carries its id, {@code type} and the function's
	 * name; later ones fragments of the arguments.
	 *
	 * @param index the call's place among the answer's tool calls
	 * @param id the call's id, on its first piece
	 * @param type {@code function}, on its first piece
	 * @param function the name (first piece) and a fragment of the arguments
	 */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	public record ToolCallDelta(int index, @Nullable String id, @Nullable String type, FunctionDelta function) {

		/**
		 * @param delta the engine's delta
		 * @return it in OpenAI's form
		 */
		public static ToolCallDelta of(dev.llmfallback.ToolCall.Delta delta) {
			return new ToolCallDelta(delta.index(), delta.id(), (delta.id() != null) ? "function" : null,
					new FunctionDelta(delta.name(), delta.arguments()));
		}

	}

	/**
	 * @param name the tool's name, on the call's first piece
	 * @param arguments a fragment of the arguments' JSON text
	 */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	public record FunctionDelta(@Nullable String name, String arguments) {
	}

	/**
	 * @param servedBy the configured model that served the answer
	 * @param attempts every call and skip of the walk
	 * @param droppedParams the request fields left out for the serving model
	 * ({@code drop-unsupported-params}), which a stream cannot name in a header; absent when none
	 */
	public record Fallback(@JsonProperty("served_by") @Nullable String servedBy, List<Attempt> attempts,
			@JsonProperty("dropped_params") @JsonInclude(JsonInclude.Include.NON_NULL)
			@Nullable List<String> droppedParams) {

		public Fallback(@Nullable String servedBy, List<Attempt> attempts) {
			this(servedBy, attempts, null);
		}

	}

}
