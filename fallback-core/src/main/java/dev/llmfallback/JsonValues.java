package dev.llmfallback;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * Deep, unmodifiable copies of JSON-like values (maps, lists, strings, numbers, booleans, nulls),
 * so that a schema held by a request cannot change under a call in flight. Keeps key order and
 * {@code null} values, which {@link Map#copyOf} would refuse.
 */
final class JsonValues {

	/** Deeper than any honest JSON Schema; deeper input is refused, not followed into a stack overflow. */
	static final int MAX_DEPTH = 128;

	private JsonValues() {
	}

	static Map<String, Object> copyObject(@Nullable Map<String, ?> value, String what) {
		if (value == null) {
			return Map.of();
		}
		return copyMap(value, what, 0);
	}

	private static Map<String, Object> copyMap(Map<?, ?> map, String what, int depth) {
		Map<String, Object> copy = new LinkedHashMap<>(Math.max(4, map.size() * 2));
		for (Map.Entry<?, ?> entry : map.entrySet()) {
			copy.put(String.valueOf(entry.getKey()), copy(entry.getValue(), what, depth + 1));
		}
		return Collections.unmodifiableMap(copy);
	}

	private static @Nullable Object copy(@Nullable Object value, String what, int depth) {
		if (depth > MAX_DEPTH) {
			throw LlmException.builder(ErrorCategory.BAD_REQUEST)
				.message(what + " is nested deeper than " + MAX_DEPTH + " levels")
				.build();
		}
		if (value instanceof Map<?, ?> map) {
			return copyMap(map, what, depth);
		}
		if (value instanceof List<?> list) {
			List<Object> copy = new ArrayList<>(list.size());
			for (Object item : list) {
				copy.add(copy(item, what, depth + 1));
			}
			return Collections.unmodifiableList(copy);
		}
		return value;
	}

}
