package dev.llmfallback;

import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * A function the model may call: its name, what it does, and a JSON Schema of its arguments. Each
 * wire format receives the schema in the form it accepts (see the provider docs); a schema a
 * format cannot take makes that model {@code unsupported} for the request.
 *
 * @param name the function's name ({@code a-z A-Z 0-9 _ -}, at most 64 characters, as OpenAI,
 * Anthropic and Gemini all accept)
 * @param description what the function does, or {@code null}
 * @param parameters the JSON Schema of the arguments object (empty for none), as maps and lists
 * @param strict whether the arguments must match the schema exactly (OpenAI's strict mode)
 */
public record Tool(String name, @Nullable String description, Map<String, Object> parameters, boolean strict) {

	public Tool {
		if (name == null || !name.matches("[a-zA-Z0-9_-]{1,64}")) {
			throw LlmException.builder(ErrorCategory.BAD_REQUEST)
				.message("a tool's name must be 1 to 64 characters of a-z, A-Z, 0-9, _ and -, was '" + name + "'")
				.build();
		}
		parameters = JsonValues.copyObject(parameters, "the parameters schema of tool '" + name + "'");
	}

	/**
	 * A function tool, not strict.
	 * @param name its name
	 * @param description what it does
	 * @param parameters the JSON Schema of its arguments
	 * @return the tool
	 */
	@SuppressWarnings("unchecked")
	public static Tool function(String name, @Nullable String description, Map<String, ?> parameters) {
		return new Tool(name, description, (Map<String, Object>) parameters, false);
	}

}
