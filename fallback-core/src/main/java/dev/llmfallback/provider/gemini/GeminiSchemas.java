package dev.llmfallback.provider.gemini;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.llmfallback.provider.http.Json;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Adapts a JSON Schema to the OpenAPI subset Gemini's {@code Schema} accepts
 * (https://ai.google.dev/api/caching#Schema): a keyword Gemini does not know fails the whole
 * request with "Invalid JSON payload received. Unknown name ...", so only the known ones are kept.
 * <ul>
 * <li>{@code $ref} to {@code #/$defs/...} or {@code #/definitions/...} is inlined and the
 * definitions removed; a recursive reference cannot be inlined, so the schema is not adaptable.</li>
 * <li>{@code type: ["string", "null"]} becomes {@code type: string, nullable: true}; several
 * non-null types become an {@code anyOf}.</li>
 * <li>{@code oneOf} becomes {@code anyOf} (looser: "exactly one" is not expressible); {@code allOf}
 * of one schema is merged in, of more is not adaptable.</li>
 * <li>{@code const} of a string becomes a one-value {@code enum}; an {@code enum} or {@code const}
 * of other values is left out (Gemini's enums are strings).</li>
 * <li>Everything else Gemini rejects ({@code additionalProperties}, {@code $schema}, {@code $id},
 * {@code strict}, {@code examples}, {@code default}, {@code exclusiveMinimum},
 * {@code patternProperties}, ...) is left out: the schema gets looser, never stricter.</li>
 * </ul>
 * Nesting deeper than {@value #MAX_DEPTH} levels is not adaptable (bounded: never a stack
 * overflow). Pure; no state.
 */
final class GeminiSchemas {

	/** The deepest nesting adapted. */
	static final int MAX_DEPTH = 64;

	/** Schema fields Gemini takes as they are. */
	private static final Set<String> KEPT = Set.of("format", "title", "description", "nullable", "required",
			"minItems", "maxItems", "minimum", "maximum", "minLength", "maxLength", "pattern", "minProperties",
			"maxProperties", "propertyOrdering");

	private GeminiSchemas() {
	}

	/**
	 * The schema in Gemini's form.
	 * @param schema a JSON Schema, as maps and lists
	 * @return the adapted schema, or {@code null} where it cannot be adapted (recursive, too deep,
	 * a reference that leads nowhere, a tuple, ...)
	 */
	static @Nullable ObjectNode adapt(Map<String, Object> schema) {
		if (tooDeep(schema)) {
			return null;
		}
		try {
			JsonNode root = Json.tree(schema);
			return new Adapter(root).schema(root, 0);
		}
		catch (NotAdaptable | tools.jackson.core.JacksonException ex) {
			// Too deep for Jackson itself: the domain bounds nesting (JsonValues), so only hand-built maps.
			return null;
		}
	}

	/**
	 * Whether maps and lists nest deeper than any adaptable schema can (a schema level takes at
	 * most two: {@code properties} and the property's schema). Iterative: no stack to overflow
	 * before the adapter's own bound applies.
	 */
	private static boolean tooDeep(Object schema) {
		Deque<Object> values = new ArrayDeque<>();
		Deque<Integer> depths = new ArrayDeque<>();
		values.push(schema);
		depths.push(0);
		while (!values.isEmpty()) {
			Object value = values.pop();
			int depth = depths.pop();
			if (depth > 2 * MAX_DEPTH + 2) {
				return true;
			}
			Iterable<?> children = (value instanceof Map<?, ?> map) ? map.values()
					: (value instanceof Iterable<?> list) ? list : List.of();
			for (Object child : children) {
				values.push(child);
				depths.push(depth + 1);
			}
		}
		return false;
	}

	/** One adaptation: the root (where references point) and the references being inlined. */
	private static final class Adapter {

		private final JsonNode root;

		private final Deque<String> inlining = new ArrayDeque<>();

		Adapter(JsonNode root) {
			this.root = root;
		}

		ObjectNode schema(JsonNode node, int depth) {
			if (depth > MAX_DEPTH) {
				throw new NotAdaptable();
			}
			if (node.isBoolean() && node.asBoolean()) {
				return Json.object();
			}
			if (!node.isObject()) {
				throw new NotAdaptable();
			}
			JsonNode ref = node.get("$ref");
			if (ref != null) {
				return reference(node, ref, depth);
			}
			ObjectNode out = Json.object();
			for (Map.Entry<String, JsonNode> field : node.properties()) {
				String name = field.getKey();
				JsonNode value = field.getValue();
				switch (name) {
					case "type" -> type(value, out);
					case "properties" -> properties(value, out, depth);
					case "items" -> {
						if (!value.isObject()) {
							throw new NotAdaptable();
						}
						out.set("items", schema(value, depth + 1));
					}
					case "anyOf", "oneOf" -> out.set("anyOf", list(value, depth));
					case "allOf" -> {
						if (!value.isArray() || value.size() != 1) {
							throw new NotAdaptable();
						}
						ObjectNode merged = schema(value.get(0), depth + 1);
						merged.properties().forEach((entry) -> {
							if (!out.has(entry.getKey())) {
								out.set(entry.getKey(), entry.getValue());
							}
						});
					}
					case "enum" -> {
						if (value.isArray() && allStrings(value)) {
							out.set("enum", value);
						}
					}
					case "const" -> {
						if (value.isString()) {
							out.putArray("enum").add(value.stringValue());
						}
					}
					default -> {
						if (KEPT.contains(name)) {
							out.set(name, value);
						}
					}
				}
			}
			return out;
		}

		private ObjectNode reference(JsonNode node, JsonNode ref, int depth) {
			String target = ref.isString() ? ref.stringValue() : "";
			String name = null;
			JsonNode definition = null;
			for (String prefix : List.of("#/$defs/", "#/definitions/")) {
				if (target.startsWith(prefix)) {
					name = target;
					definition = this.root.path(prefix.substring(2, prefix.length() - 1))
						.get(target.substring(prefix.length()));
				}
			}
			if (definition == null || name == null || this.inlining.contains(name)) {
				// Leads nowhere, or back to itself: a recursive schema cannot be written out.
				throw new NotAdaptable();
			}
			this.inlining.push(name);
			ObjectNode inlined = schema(definition, depth + 1);
			this.inlining.pop();
			JsonNode description = node.get("description");
			if (description != null && description.isString()) {
				inlined.set("description", description);
			}
			return inlined;
		}

		private void properties(JsonNode value, ObjectNode out, int depth) {
			if (!value.isObject()) {
				throw new NotAdaptable();
			}
			ObjectNode properties = out.putObject("properties");
			for (Map.Entry<String, JsonNode> property : value.properties()) {
				properties.set(property.getKey(), schema(property.getValue(), depth + 1));
			}
		}

		private ArrayNode list(JsonNode value, int depth) {
			if (!value.isArray() || value.isEmpty()) {
				throw new NotAdaptable();
			}
			ArrayNode list = Json.MAPPER.createArrayNode();
			for (JsonNode element : value) {
				list.add(schema(element, depth + 1));
			}
			return list;
		}

		private static void type(JsonNode value, ObjectNode out) {
			if (value.isString()) {
				if (value.stringValue().equals("null")) {
					throw new NotAdaptable();
				}
				out.set("type", value);
				return;
			}
			if (!value.isArray()) {
				throw new NotAdaptable();
			}
			ArrayNode types = Json.MAPPER.createArrayNode();
			for (JsonNode type : value) {
				if (!type.isString()) {
					throw new NotAdaptable();
				}
				if (type.stringValue().equals("null")) {
					out.put("nullable", true);
				}
				else {
					types.add(type);
				}
			}
			if (types.isEmpty()) {
				throw new NotAdaptable();
			}
			if (types.size() == 1) {
				out.set("type", types.get(0));
			}
			else {
				ArrayNode anyOf = out.putArray("anyOf");
				types.forEach((type) -> anyOf.addObject().set("type", type));
			}
		}

		private static boolean allStrings(JsonNode array) {
			for (JsonNode element : array) {
				if (!element.isString()) {
					return false;
				}
			}
			return true;
		}

	}

	/** A schema Gemini cannot take; caught in {@link #adapt}. */
	private static final class NotAdaptable extends RuntimeException {

		NotAdaptable() {
			super(null, null, false, false);
		}

	}

}
