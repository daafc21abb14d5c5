package dev.llmfallback.engine;

import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * The engine's two uses of JSON: the text of a schema, to count its tokens, and whether assembled
 * tool-call arguments are one JSON object. The check streams the tokens without building a tree.
 */
final class JsonText {

	private static final JsonFactory FACTORY = new JsonFactory();

	private static final JsonMapper MAPPER = JsonMapper.builder(FACTORY).build();

	private JsonText() {
	}

	/**
	 * @param value maps, lists and scalars, as a request holds a schema
	 * @return its JSON text
	 */
	static String of(Object value) {
		return MAPPER.writeValueAsString(value);
	}

	/**
	 * @param text the text
	 * @return whether it is exactly one JSON object (surrounding whitespace allowed)
	 */
	static boolean isObject(String text) {
		try (JsonParser parser = FACTORY.createParser(text)) {
			if (parser.nextToken() != JsonToken.START_OBJECT) {
				return false;
			}
			parser.skipChildren();
			return parser.nextToken() == null;
		}
		catch (JacksonException ex) {
			return false;
		}
	}

	/**
	 * A bound on the UTF-8 bytes of a value's JSON text, computed without writing it: a char of a
	 * string takes at most six bytes once escaped (a control character as a six-character escape), a
	 * number or boolean at most 32.
	 * @param value maps, lists and scalars (nested at most {@code JsonValues.MAX_DEPTH} deep, as
	 * the request's constructor checked)
	 * @return the bound
	 */
	static long maxBytes(@Nullable Object value) {
		if (value instanceof String text) {
			return 2 + 6L * text.length();
		}
		if (value instanceof Map<?, ?> map) {
			long bytes = 2;
			for (Map.Entry<?, ?> entry : map.entrySet()) {
				bytes += 2 + maxBytes(String.valueOf(entry.getKey())) + maxBytes(entry.getValue());
			}
			return bytes;
		}
		if (value instanceof List<?> list) {
			long bytes = 2;
			for (Object item : list) {
				bytes += 1 + maxBytes(item);
			}
			return bytes;
		}
		if (value == null || value instanceof Boolean || value instanceof Integer || value instanceof Long
				|| value instanceof Double || value instanceof Float || value instanceof Short || value instanceof Byte) {
			return 32;
		}
		// A BigDecimal or anything else is written as its text at most.
		return maxBytes(String.valueOf(value));
	}

}
