package dev.llmfallback.provider.http;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** The JSON mapper and small reading helpers the adapters share. */
public final class Json {

	/** A mapper with Jackson's defaults; thread-safe. */
	public static final JsonMapper MAPPER = JsonMapper.builder().build();

	private Json() {
	}

	/** @return a new empty object */
	public static ObjectNode object() {
		return MAPPER.createObjectNode();
	}

	/**
	 * The text of a scalar node.
	 * @param node the node (may be {@code null})
	 * @return its text, or {@code null} for a missing, null or container node
	 */
	public static String text(JsonNode node) {
		if (node == null || node.isNull() || node.isMissingNode() || node.isContainer()) {
			return null;
		}
		return node.isString() ? node.stringValue() : node.asString();
	}

	/**
	 * A token count.
	 * @param node the node (may be {@code null})
	 * @return its value, or {@code -1} where it is not a number
	 */
	public static long count(JsonNode node) {
		return (node != null && node.isNumber()) ? node.asLong() : -1;
	}

	/**
	 * Converts any value (maps, lists, strings, numbers, records) into a JSON tree.
	 * @param value the value
	 * @return the tree
	 */
	public static JsonNode tree(Object value) {
		return MAPPER.valueToTree(value);
	}

}
