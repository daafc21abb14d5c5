package dev.llmfallback.provider.http;

import java.io.InputStream;
import java.util.Arrays;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.databind.node.POJONode;

/**
 * Reads an embedding answer into a JSON tree in one pass, where every non-empty array of numbers
 * becomes a {@link POJONode} holding a {@code float[]}: a vector is decoded once from the bytes,
 * never held as text, as a tree of number nodes and as floats at the same time. For 1,000 vectors
 * of 1,536 numbers a tree of number nodes costs about 50 MB more than the 6 MB of floats.
 * {@link EmbeddingMapping#vector} takes such nodes as they are; the rest of the tree (objects,
 * strings, usage counts) is an ordinary tree, so the mappings read it unchanged.
 */
final class VectorTrees {

	private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

	/** JSON nested deeper than this is malformed for any embedding answer. */
	private static final int MAX_DEPTH = 64;

	private final JsonParser parser;

	/** Numbers of the array being read; grown once to the longest vector, then reused. */
	private float[] scratch = new float[256];

	private VectorTrees(JsonParser parser) {
		this.parser = parser;
	}

	/**
	 * Reads one JSON value from the stream.
	 * @param in the answer's UTF-8 bytes
	 * @return the tree, {@code null} for an empty stream
	 * @throws tools.jackson.core.JacksonException for malformed JSON
	 */
	static @Nullable JsonNode read(InputStream in) {
		try (JsonParser parser = Json.MAPPER.createParser(in)) {
			JsonToken token = parser.nextToken();
			if (token == null) {
				return null;
			}
			JsonNode value = new VectorTrees(parser).value(token, 0);
			if (parser.nextToken() != null) {
				throw new IllegalArgumentException("trailing content after the JSON value");
			}
			return value;
		}
	}

	private JsonNode value(JsonToken token, int depth) {
		JsonParser parser = this.parser;
		if (depth > MAX_DEPTH) {
			throw new IllegalArgumentException("JSON nested deeper than " + MAX_DEPTH + " levels");
		}
		return switch (token) {
			case START_OBJECT -> object(depth);
			case START_ARRAY -> array(depth);
			case VALUE_STRING -> NODES.stringNode(parser.getString());
			case VALUE_NUMBER_INT -> NODES.numberNode(parser.getLongValue());
			case VALUE_NUMBER_FLOAT -> NODES.numberNode(parser.getDoubleValue());
			case VALUE_TRUE -> NODES.booleanNode(true);
			case VALUE_FALSE -> NODES.booleanNode(false);
			case VALUE_NULL -> NODES.nullNode();
			default -> throw new IllegalArgumentException("unexpected JSON token " + token);
		};
	}

	private ObjectNode object(int depth) {
		ObjectNode object = NODES.objectNode();
		JsonToken token;
		while ((token = this.parser.nextToken()) == JsonToken.PROPERTY_NAME) {
			String name = this.parser.currentName();
			object.set(name, value(this.parser.nextToken(), depth + 1));
		}
		if (token != JsonToken.END_OBJECT) {
			throw new IllegalArgumentException("unexpected JSON token " + token + " in an object");
		}
		return object;
	}

	/** An array of numbers only becomes a float[]; any other array (or one that stops being numbers) a tree. */
	private JsonNode array(int depth) {
		JsonParser parser = this.parser;
		JsonToken token = parser.nextToken();
		float[] numbers = this.scratch;
		int count = 0;
		while (token == JsonToken.VALUE_NUMBER_FLOAT || token == JsonToken.VALUE_NUMBER_INT) {
			if (count == numbers.length) {
				numbers = Arrays.copyOf(numbers, count * 2);
				this.scratch = numbers;
			}
			numbers[count++] = parser.getFloatValue();
			token = parser.nextToken();
		}
		if (token == JsonToken.END_ARRAY && count > 0) {
			return NODES.pojoNode(Arrays.copyOf(numbers, count));
		}
		ArrayNode array = NODES.arrayNode(count);
		for (int i = 0; i < count; i++) {
			array.add(numbers[i]);
		}
		while (token != JsonToken.END_ARRAY) {
			if (token == null) {
				throw new IllegalArgumentException("the JSON ends inside an array");
			}
			array.add(value(token, depth + 1));
			token = parser.nextToken();
		}
		return array;
	}

}
