package dev.llmfallback.provider.gemini;

import java.util.List;

import dev.llmfallback.ChatRequest;
import dev.llmfallback.ResponseFormat;
import dev.llmfallback.Tool;
import dev.llmfallback.ToolChoice;
import dev.llmfallback.provider.http.Json;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Tools, tool choice and response format in Gemini's form
 * (https://ai.google.dev/gemini-api/docs/function-calling,
 * https://ai.google.dev/gemini-api/docs/structured-output):
 * {@code tools: [{functionDeclarations: [{name, description, parameters}]}]} with the schema
 * adapted by {@link GeminiSchemas} (a tool without parameters declares none: Gemini refuses an
 * object schema without properties, "parameters.properties: should be non-empty for OBJECT type",
 * https://github.com/agno-agi/agno/issues/2112; a schema without a type gets {@code type: object},
 * https://github.com/googleapis/python-genai/issues/981); {@code toolConfig.functionCallingConfig.mode} {@code AUTO},
 * {@code NONE}, {@code ANY} ({@code required}), or {@code ANY} with {@code allowedFunctionNames}
 * for a named tool; {@code json_object} as {@code generationConfig.responseMimeType
 * application/json}, {@code json_schema} with {@code responseSchema} as well. A tool's
 * A strict tool has no equivalent: Gemini's schema guides a call but does not bind its arguments,
 * so {@code tools[].function.strict} is named, as Ollama names it (OpenAI, Anthropic and Cohere
 * carry it).
 * {@code parallel_tool_calls: false} has no equivalent.
 */
final class GeminiTools {

	static final String PARAMETERS = "tools[].function.parameters";

	static final String RESPONSE_FORMAT = "response_format";

	static final String PARALLEL_TOOL_CALLS = "parallel_tool_calls";

	static final String STRICT = "tools[].function.strict";

	private GeminiTools() {
	}

	/**
	 * Adds the names of what the request asks here that Gemini cannot carry.
	 * @param chat the request
	 * @param names receives the names
	 */
	static void unsupported(ChatRequest chat, List<String> names) {
		for (Tool tool : chat.tools()) {
			if (GeminiSchemas.adapt(tool.parameters()) == null) {
				names.add(PARAMETERS);
				break;
			}
		}
		for (Tool tool : chat.tools()) {
			if (tool.strict()) {
				names.add(STRICT);
				break;
			}
		}
		if (!chat.tools().isEmpty() && Boolean.FALSE.equals(chat.parallelToolCalls())) {
			names.add(PARALLEL_TOOL_CALLS);
		}
		if (chat.responseFormat() instanceof ResponseFormat.JsonSchema format
				&& GeminiSchemas.adapt(format.schema()) == null) {
			names.add(RESPONSE_FORMAT);
		}
	}

	/**
	 * Writes tools and tool choice into the body, the response format into the generation config.
	 * Only called once {@link #unsupported} has been checked: a schema that cannot be adapted is
	 * left out here (the request allows dropping).
	 * @param chat the request
	 * @param body the request body
	 * @param config the generation config
	 */
	static void write(ChatRequest chat, ObjectNode body, ObjectNode config) {
		if (!chat.tools().isEmpty()) {
			ArrayNode declarations = body.putArray("tools").addObject().putArray("functionDeclarations");
			for (Tool tool : chat.tools()) {
				ObjectNode declaration = declarations.addObject().put("name", tool.name());
				if (tool.description() != null) {
					declaration.put("description", tool.description());
				}
				ObjectNode parameters = GeminiSchemas.adapt(tool.parameters());
				if (parameters != null && parameters.path("properties").size() > 0) {
					if (!parameters.has("type")) {
						// Gemini wants the parameters an OBJECT schema, said so.
						parameters.put("type", "object");
					}
					declaration.set("parameters", parameters);
				}
			}
			if (chat.toolChoice() != null) {
				ObjectNode calling = body.putObject("toolConfig").putObject("functionCallingConfig");
				ToolChoice choice = chat.toolChoice();
				if (choice instanceof ToolChoice.Named named) {
					calling.put("mode", "ANY").putArray("allowedFunctionNames").add(named.name());
				}
				else {
					calling.put("mode", switch (choice.id()) {
						case "none" -> "NONE";
						case "required" -> "ANY";
						default -> "AUTO";
					});
				}
			}
		}
		ResponseFormat format = chat.responseFormat();
		if (format instanceof ResponseFormat.JsonObject) {
			config.put("responseMimeType", "application/json");
		}
		else if (format instanceof ResponseFormat.JsonSchema schema) {
			// A schema that cannot be adapted was named response_format: left out whole.
			ObjectNode adapted = GeminiSchemas.adapt(schema.schema());
			if (adapted != null) {
				config.put("responseMimeType", "application/json");
				if (schema.description() != null && !adapted.has("description")) {
					adapted.put("description", schema.description());
				}
				config.set("responseSchema", adapted);
			}
		}
	}

}
