package dev.llmfallback;

import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * A call of a {@link Tool} the model asked for. Its {@code id} is what the {@code tool} message
 * carrying the result names ({@link ChatMessage#toolResult(String, String)}); after a hop to
 * another wire format the id is kept where the format accepts it, else mapped consistently within
 * the request, so every result still meets its call.
 *
 * @param id the call's id
 * @param name the tool's name
 * @param arguments the arguments, as JSON text (an object)
 */
public record ToolCall(String id, String name, String arguments) {

	public ToolCall {
		Objects.requireNonNull(id, "id");
		Objects.requireNonNull(name, "name");
		arguments = (arguments != null && !arguments.isEmpty()) ? arguments : "{}";
	}

	/**
	 * A piece of a streamed tool call. The first delta of a call carries its {@code index}, id and
	 * name; later ones add fragments of the arguments' JSON text. The stream's last chunk carries
	 * the assembled calls ({@link ChatChunk#toolCalls()}).
	 *
	 * @param index the call's place among the answer's tool calls, from 0
	 * @param id the call's id, on its first delta; else {@code null}
	 * @param name the tool's name, on its first delta; else {@code null}
	 * @param arguments a fragment of the arguments' JSON text (empty for none)
	 */
	public record Delta(int index, @Nullable String id, @Nullable String name, String arguments) {

		public Delta {
			if (index < 0) {
				throw new IllegalArgumentException("a tool call delta's index must be >= 0, was " + index);
			}
			arguments = (arguments != null) ? arguments : "";
		}

	}

}
