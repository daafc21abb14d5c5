package dev.llmfallback.sample.simulator;

import java.util.Iterator;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * What a simulated model answers beyond echoing the prompt, in either wire format: with tools
 * given and the conversation not ending in a tool result, a call of the first tool with arguments
 * made from its schema; after a tool result, a text using it; with a JSON schema as response
 * format, an object valid against it.
 */
final class SimulatedAnswers {

	private static final JsonMapper json = JsonMapper.builder().build();

	private static final int MAX_DEPTH = 32;

	private SimulatedAnswers() {
	}

	/**
	 * A tool call to make.
	 *
	 * @param name the tool's name
	 * @param arguments its arguments, valid against its schema
	 */
	record Call(String name, ObjectNode arguments) {
	}

	/**
	 * @param call the request
	 * @param anthropic whether it is in Anthropic's format
	 * @return the first tool's call, or {@code null} when no tool is given or the conversation ends
	 * in a tool result
	 */
	static @Nullable Call toolCall(JsonNode call, boolean anthropic) {
		JsonNode tools = call.path("tools");
		if (!tools.isArray() || tools.isEmpty() || toolResult(call, anthropic) != null
				|| "none".equals(call.path("tool_choice").asString(""))) {
			return null;
		}
		JsonNode tool = tools.get(0);
		String name = anthropic ? tool.path("name").asString("tool") : tool.path("function").path("name").asString("tool");
		JsonNode schema = anthropic ? tool.path("input_schema") : tool.path("function").path("parameters");
		JsonNode arguments = value(schema, 0);
		return new Call(name, arguments.isObject() ? (ObjectNode) arguments : json.createObjectNode());
	}

	/**
	 * @param call the request
	 * @param anthropic whether it is in Anthropic's format
	 * @return the text of the tool result the conversation ends in, or {@code null}
	 */
	static @Nullable String toolResult(JsonNode call, boolean anthropic) {
		JsonNode messages = call.path("messages");
		if (!messages.isArray() || messages.isEmpty()) {
			return null;
		}
		JsonNode last = messages.get(messages.size() - 1);
		if (!anthropic) {
			return "tool".equals(last.path("role").asString("")) ? text(last.path("content")) : null;
		}
		for (JsonNode block : last.path("content")) {
			if ("tool_result".equals(block.path("type").asString(""))) {
				return text(block.path("content"));
			}
		}
		return null;
	}

	/**
	 * @param call the request
	 * @return an object valid against the request's JSON schema response format, or {@code null}
	 */
	static @Nullable String schemaAnswer(JsonNode call) {
		JsonNode format = call.path("response_format");
		if ("json_schema".equals(format.path("type").asString(""))) {
			return value(format.path("json_schema").path("schema"), 0).toString();
		}
		if ("json_object".equals(format.path("type").asString(""))) {
			return "{\"answer\":\"simulated\"}";
		}
		return null;
	}

	private static String text(JsonNode content) {
		if (content.isString()) {
			return content.asString();
		}
		StringBuilder text = new StringBuilder();
		for (JsonNode part : content) {
			text.append(part.path("text").asString(""));
		}
		return text.toString();
	}

	/** A value valid against a (simple) JSON Schema: every property, the first enum value, one item. */
	static JsonNode value(JsonNode schema, int depth) {
		if (depth > MAX_DEPTH || !schema.isObject()) {
			return json.getNodeFactory().stringNode("sample");
		}
		if (schema.path("enum").isArray() && !schema.path("enum").isEmpty()) {
			return schema.path("enum").get(0);
		}
		if (schema.has("const")) {
			return schema.get("const");
		}
		for (String choice : new String[] { "anyOf", "oneOf", "allOf" }) {
			if (schema.path(choice).isArray() && !schema.path(choice).isEmpty()) {
				return value(schema.path(choice).get(0), depth + 1);
			}
		}
		JsonNode typeNode = schema.path("type");
		String type = typeNode.isArray() ? typeNode.path(0).asString("string")
				: typeNode.asString(schema.has("properties") ? "object" : "string");
		return switch (type) {
			case "object" -> {
				ObjectNode object = json.createObjectNode();
				Iterator<Map.Entry<String, JsonNode>> properties = schema.path("properties").properties().iterator();
				while (properties.hasNext()) {
					Map.Entry<String, JsonNode> property = properties.next();
					object.set(property.getKey(), value(property.getValue(), depth + 1));
				}
				yield object;
			}
			case "array" -> {
				ArrayNode array = json.createArrayNode();
				int items = Math.max(1, schema.path("minItems").asInt(1));
				for (int i = 0; i < Math.min(items, 3); i++) {
					array.add(value(schema.path("items"), depth + 1));
				}
				yield array;
			}
			case "integer" -> json.getNodeFactory().numberNode(Math.max(1, schema.path("minimum").asInt(1)));
			case "number" -> json.getNodeFactory().numberNode(Math.max(1.5, schema.path("minimum").asDouble(1.5)));
			case "boolean" -> json.getNodeFactory().booleanNode(true);
			case "null" -> json.getNodeFactory().nullNode();
			default -> json.getNodeFactory().stringNode("sample");
		};
	}

}
