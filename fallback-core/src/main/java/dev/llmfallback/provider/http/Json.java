package dev.llmfallback.provider.http;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;

import dev.llmfallback.ChatMessage;
import dev.llmfallback.ChatRequest;
import dev.llmfallback.Role;
import dev.llmfallback.Usage;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.StreamWriteFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.MissingNode;
import tools.jackson.databind.node.ObjectNode;
import org.jspecify.annotations.Nullable;

/**
 * The JSON mapper and small reading helpers the adapters share.
 *
 * <p>Public for the per-format mappings in their own packages.
 */
public final class Json {

	/**
	 * A mapper with Jackson's defaults but for numbers: floating-point numbers are read and written
	 * with Jackson's fast (and exact) parser and writer, which read an embedding answer's
	 * 1.5 million numbers per 1,000 inputs faster than the JDK 17 routines; its buffers come from
	 * {@link EventLoopRecyclerPool}. Thread-safe.
	 */
	public static final JsonMapper MAPPER = JsonMapper
		.builder(EventLoopRecyclerPool.jsonFactory())
		.enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
		.enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER)
		.build();

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
	public static @Nullable String text(@Nullable JsonNode node) {
		if (node == null || node.isNull() || node.isMissingNode() || node.isContainer()) {
			return null;
		}
		return node.isString() ? node.stringValue() : node.asString();
	}

	/**
	 * A member that must hold a string, such as the text of an answer.
	 * @param parent the object (may be {@code null} or missing)
	 * @param field the member's name
	 * @return its text, or {@code null} where it is missing or {@code null}
	 * @throws WrongTypeException where it holds a number, a boolean, an array or an object
	 */
	public static @Nullable String string(@Nullable JsonNode parent, String field) {
		JsonNode node = (parent != null) ? parent.get(field) : null;
		if (node == null || node.isNull() || node.isMissingNode()) {
			return null;
		}
		if (!node.isString()) {
			throw new WrongTypeException(field, node, "a string");
		}
		return node.stringValue();
	}

	/**
	 * A member that must hold an object.
	 * @param parent the object (may be {@code null} or missing)
	 * @param field the member's name
	 * @return the object, or a missing node where it is missing or {@code null}
	 * @throws WrongTypeException where it holds anything else
	 */
	public static JsonNode object(@Nullable JsonNode parent, String field) {
		JsonNode node = (parent != null) ? parent.get(field) : null;
		if (node == null || node.isNull() || node.isMissingNode()) {
			return MissingNode.getInstance();
		}
		if (!node.isObject()) {
			throw new WrongTypeException(field, node, "an object");
		}
		return node;
	}

	/**
	 * The elements of a member that must hold an array of objects.
	 * @param parent the object (may be {@code null} or missing)
	 * @param field the member's name
	 * @return the elements, none where it is missing or {@code null}
	 * @throws WrongTypeException where it holds anything else, or an element is not an object
	 */
	public static List<JsonNode> objects(@Nullable JsonNode parent, String field) {
		JsonNode node = (parent != null) ? parent.get(field) : null;
		if (node == null || node.isNull() || node.isMissingNode()) {
			return List.of();
		}
		if (!node.isArray()) {
			throw new WrongTypeException(field, node, "an array");
		}
		List<JsonNode> elements = new ArrayList<>(node.size());
		for (JsonNode element : node) {
			if (!element.isObject()) {
				throw new WrongTypeException(field + "[]", element, "an object");
			}
			elements.add(element);
		}
		return elements;
	}

	/**
	 * A token count.
	 * @param node the node (may be {@code null})
	 * @return its value, or {@code -1} where it is not a number
	 */
	public static long count(@Nullable JsonNode node) {
		return (node != null && node.isNumber()) ? node.asLong() : -1;
	}

	/**
	 * Usage from two counts read with {@link #count(JsonNode)}: missing ones count as 0, and when
	 * both are missing the provider reported no usage at all.
	 * @param input the input tokens, or -1
	 * @param output the output tokens, or -1
	 * @return the usage, or {@code null} when neither count is there
	 */
	public static @Nullable Usage usage(long input, long output) {
		return (input < 0 && output < 0) ? null : Usage.of(Math.max(0, input), Math.max(0, output));
	}

	/**
	 * Passes a request's extra parameters through: those a protocol reads at the top level go into
	 * the body, every other one into its nested options object.
	 * @param extra the request's extra parameters
	 * @param topLevel the names the protocol reads at the top level
	 * @param body the request body
	 * @param nested the nested options object
	 */
	public static void splitExtras(Map<String, Object> extra, Set<String> topLevel, ObjectNode body,
			ObjectNode nested) {
		extra.forEach((key, value) -> (topLevel.contains(key) ? body : nested).set(key, tree(value)));
	}

	/**
	 * Joins the {@code text} members of an answer's parts, the way every format splits an answer's
	 * text: parts without text add nothing.
	 * @param parts the parts (content blocks, parts, content items)
	 * @param keep which parts belong to the answer (e.g. not thought summaries)
	 * @return the text, empty when there is none
	 * @throws WrongTypeException where a {@code text} member is not a string
	 */
	public static String joinText(List<JsonNode> parts, Predicate<JsonNode> keep) {
		StringBuilder text = new StringBuilder();
		for (JsonNode part : parts) {
			String piece = keep.test(part) ? string(part, "text") : null;
			if (piece != null) {
				text.append(piece);
			}
		}
		return text.toString();
	}

	/**
	 * Puts the conversation as {@code "messages": [{"role", "content"}]}, the text-only shape
	 * several formats share.
	 * @param body the request body
	 * @param messages the conversation
	 * @param role the format's name for a role
	 */
	public static void putTextMessages(ObjectNode body, List<ChatMessage> messages, Function<Role, String> role) {
		ArrayNode array = body.putArray("messages");
		for (ChatMessage message : messages) {
			array.addObject().put("role", role.apply(message.role())).put("content", message.content());
		}
	}

	/**
	 * Ends a body the way most formats want it: {@code "stream": true} when streaming, then the
	 * request's extra parameters at the top level, overriding mapped fields.
	 * @param body the body
	 * @param chat the request
	 * @param stream whether the answer is streamed
	 * @return the body
	 */
	public static ObjectNode streamAndExtra(ObjectNode body, ChatRequest chat, boolean stream) {
		if (stream) {
			body.put("stream", true);
		}
		putExtra(body, chat.extra());
		return body;
	}

	/**
	 * Puts a request's extra parameters into a body the way most protocols want them: at the top
	 * level, overriding mapped fields.
	 * @param body the body
	 * @param extra the request's extra parameters
	 */
	public static void putExtra(ObjectNode body, Map<String, Object> extra) {
		extra.forEach((key, value) -> body.set(key, tree(value)));
	}

	/**
	 * Converts any value (maps, lists, strings, numbers, records) into a JSON tree.
	 * @param value the value
	 * @return the tree
	 */
	public static JsonNode tree(Object value) {
		return MAPPER.valueToTree(value);
	}

	/**
	 * An answer whose member has the wrong JSON type where the adapter reads it: the answer is
	 * malformed ({@code invalid_response}), never read as empty or coerced into text.
	 */
	public static final class WrongTypeException extends IllegalStateException {

		WrongTypeException(String field, JsonNode node, String expected) {
			super("'" + field + "' is " + describe(node) + " where " + expected + " is expected");
		}

		private static String describe(JsonNode node) {
			return switch (node.getNodeType()) {
				case ARRAY -> "an array";
				case OBJECT -> "an object";
				case NUMBER -> "a number";
				case BOOLEAN -> "a boolean";
				case STRING -> "a string";
				default -> "a " + node.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
			};
		}

	}

}
