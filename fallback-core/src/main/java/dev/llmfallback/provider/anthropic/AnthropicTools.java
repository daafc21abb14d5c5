package dev.llmfallback.provider.anthropic;

import java.util.List;
import java.util.Map;

import dev.llmfallback.ChatRequest;
import dev.llmfallback.ResponseFormat;
import dev.llmfallback.Tool;
import dev.llmfallback.ToolChoice;
import dev.llmfallback.provider.http.Json;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Tools, tool choice and structured output in the Messages API's form
 * (https://platform.claude.com/docs/en/agents-and-tools/tool-use/implement-tool-use): a tool is
 * {@code {name, description, input_schema, strict}}, the choice {@code {type: auto|any|tool|none}}
 * with {@code disable_parallel_tool_use} inside it.
 *
 * <p><b>Structured output goes through a forced tool</b>, the classic way
 * (https://platform.claude.com/docs/en/agents-and-tools/tool-use/implement-tool-use#json-mode), not
 * through the native {@code output_config.format}: the native form exists only on Claude 4.5 models
 * and later, and refuses common schema keywords ({@code minimum}, {@code maxLength},
 * {@code minItems} above 1, ...) that a schema written for OpenAI carries, so a fallback chain
 * would meet 400s where the forced tool works on every Claude model with any object schema. A
 * {@code json_schema} becomes a tool named after the schema whose {@code input_schema} is the schema
 * ({@code strict: true} when the caller asked for strict, Anthropic's strict tool use); a
 * {@code json_object} a tool {@value #JSON_OBJECT_TOOL} taking any object. With no tools of the
 * caller's, the choice forces that tool; beside the caller's tools it becomes {@code any}, so the
 * model either calls one of them or answers through the schema tool. The answer's call of that tool
 * is mapped back to text content (the input as JSON) with finish reason {@code stop}; the caller
 * never sees it. Extended thinking refuses forced tool choices, so a request that turns it on
 * ({@code thinking} in extra) names {@code response_format} as unsupported.
 */
final class AnthropicTools {

	/** The name of the tool that carries a {@code json_object} answer. */
	static final String JSON_OBJECT_TOOL = "json_object";

	/** What a tool's parameters or a response schema that is not an object schema is named. */
	static final String PARAMETERS = "tools[].function.parameters";

	private AnthropicTools() {
	}

	/**
	 * The name of the tool that carries the answer in the requested format.
	 * @param chat the request
	 * @return the tool's name, or {@code null} for a free-text answer
	 */
	static @Nullable String answerTool(ChatRequest chat) {
		ResponseFormat format = chat.responseFormat();
		if (format instanceof ResponseFormat.JsonSchema schema) {
			return schema.name();
		}
		return (format instanceof ResponseFormat.JsonObject) ? JSON_OBJECT_TOOL : null;
	}

	/**
	 * Adds what the tools and the response format cannot carry to {@code names}.
	 * @param chat the request
	 * @param names the names found so far
	 */
	static void unsupported(ChatRequest chat, List<String> names) {
		for (Tool tool : chat.tools()) {
			if (!isObjectSchema(tool.parameters())) {
				names.add(PARAMETERS);
				break;
			}
		}
		String answer = answerTool(chat);
		if (answer == null) {
			return;
		}
		boolean clash = chat.tools().stream().anyMatch((tool) -> tool.name().equals(answer));
		if (clash || thinking(chat) || (chat.responseFormat() instanceof ResponseFormat.JsonSchema schema
				&& !isObjectSchema(schema.schema()))) {
			// A tool's input is always an object, the answer's tool must be told apart, and the API
			// refuses extended thinking with a forced tool choice.
			names.add("response_format");
		}
	}

	/**
	 * Writes {@code tools} and {@code tool_choice}, the answer's tool included.
	 * @param chat the request
	 * @param body the body
	 * @param carryFormat whether the response format goes in (not when it is unsupported and dropped)
	 */
	static void write(ChatRequest chat, ObjectNode body, boolean carryFormat) {
		// A tool whose parameters are no object schema is only here when dropping is allowed.
		List<Tool> tools = chat.tools().stream().filter((tool) -> isObjectSchema(tool.parameters())).toList();
		String answer = carryFormat ? answerTool(chat) : null;
		if (tools.isEmpty() && answer == null) {
			return;
		}
		ArrayNode array = body.putArray("tools");
		for (Tool tool : tools) {
			tool(array, tool.name(), tool.description(), tool.parameters(), tool.strict());
		}
		if (answer != null) {
			if (chat.responseFormat() instanceof ResponseFormat.JsonSchema schema) {
				String description = (schema.description() != null) ? schema.description()
						: "Give the answer as this tool's input.";
				tool(array, answer, description, schema.schema(), schema.strict());
			}
			else {
				tool(array, answer, "Give the answer, a JSON object, as this tool's input.", Map.of(), false);
			}
		}
		ObjectNode choice = choice(chat.toolChoice(), answer, tools.isEmpty());
		if (Boolean.FALSE.equals(chat.parallelToolCalls()) && !"none".equals(Json.text(choice.get("type")))) {
			choice.put("disable_parallel_tool_use", true);
		}
		if (choice.size() > 1 || !"auto".equals(Json.text(choice.get("type")))) {
			body.set("tool_choice", choice);
		}
	}

	private static ObjectNode choice(@Nullable ToolChoice toolChoice, @Nullable String answer, boolean answerOnly) {
		ObjectNode choice = Json.object();
		if (answer != null && (answerOnly || toolChoice == ToolChoice.NONE)) {
			// Only the answer's tool may be called, so force it.
			return choice.put("type", "tool").put("name", answer);
		}
		if (toolChoice instanceof ToolChoice.Named named) {
			return choice.put("type", "tool").put("name", named.name());
		}
		if (answer != null || toolChoice == ToolChoice.REQUIRED) {
			// Beside the caller's tools the answer must still come as a tool call (the schema's).
			return choice.put("type", "any");
		}
		return choice.put("type", (toolChoice == ToolChoice.NONE) ? "none" : "auto");
	}

	private static void tool(ArrayNode array, String name, @Nullable String description, Map<String, Object> schema,
			boolean strict) {
		ObjectNode tool = array.addObject().put("name", name);
		if (description != null && !description.isEmpty()) {
			tool.put("description", description);
		}
		tool.set("input_schema", inputSchema(schema));
		if (strict) {
			// Strict tool use: https://platform.claude.com/docs/en/agents-and-tools/tool-use/strict-tool-use
			tool.put("strict", true);
		}
	}

	/**
	 * The schema as {@code input_schema} wants it: an object schema; an empty one (a function
	 * without parameters) gets {@code type: object} and no properties.
	 */
	private static ObjectNode inputSchema(Map<String, Object> schema) {
		ObjectNode node = (ObjectNode) Json.tree(schema);
		if (!node.has("type")) {
			node.put("type", "object");
		}
		if (schema.isEmpty()) {
			node.putObject("properties");
		}
		return node;
	}

	/** Whether the caller turned Anthropic's extended thinking on ({@code thinking} passed through in extra). */
	private static boolean thinking(ChatRequest chat) {
		Object thinking = chat.extra().get("thinking");
		return thinking instanceof Map<?, ?> map && map.get("type") != null && !"disabled".equals(map.get("type"));
	}

	/** Whether the schema describes an object, as {@code input_schema} must (no type counts). */
	static boolean isObjectSchema(Map<String, Object> schema) {
		Object type = schema.get("type");
		return type == null || "object".equals(type);
	}

}
