package dev.llmfallback;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * Whether and which tool the model must call: {@link #AUTO} (the model decides), {@link #NONE}
 * (answer in text), {@link #REQUIRED} (call at least one tool) or one {@link Named} tool.
 */
public sealed interface ToolChoice {

	/** The model decides. */
	ToolChoice AUTO = new Mode("auto");

	/** The model must not call a tool. */
	ToolChoice NONE = new Mode("none");

	/** The model must call at least one tool. */
	ToolChoice REQUIRED = new Mode("required");

	/**
	 * The model must call this tool.
	 * @param name the tool's name, one of the request's tools
	 * @return the choice
	 */
	static ToolChoice named(String name) {
		return new Named(name);
	}

	/**
	 * Reads a choice from its id: {@code auto}, {@code none}, {@code required}, else a tool's name.
	 * @param id the id
	 * @return the choice
	 */
	@JsonCreator
	static ToolChoice of(String id) {
		return switch (id) {
			case "auto" -> AUTO;
			case "none" -> NONE;
			case "required" -> REQUIRED;
			default -> new Named(id);
		};
	}

	/**
	 * The choice's OpenAI name: {@code auto}, {@code none}, {@code required}, or the tool's name.
	 * @return the id
	 */
	@JsonValue
	String id();

	/**
	 * One of the three modes without a tool name.
	 *
	 * @param id {@code auto}, {@code none} or {@code required}
	 */
	record Mode(String id) implements ToolChoice {

		public Mode {
			if (!"auto".equals(id) && !"none".equals(id) && !"required".equals(id)) {
				throw LlmException.builder(ErrorCategory.BAD_REQUEST)
					.message("tool choice must be auto, none, required or a named tool, was '" + id + "'")
					.build();
			}
		}

	}

	/**
	 * One tool the model must call.
	 *
	 * @param name the tool's name
	 */
	record Named(String name) implements ToolChoice {

		public Named {
			if (name == null || name.isBlank()) {
				throw LlmException.builder(ErrorCategory.BAD_REQUEST).message("a named tool choice needs a name").build();
			}
		}

		@Override
		public String id() {
			return this.name;
		}

	}

}
