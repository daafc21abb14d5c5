package dev.llmfallback.provider.http;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * Adapts a JSON Schema to OpenAI's strict mode (Structured Outputs: a tool with
 * {@code "strict": true}, or {@code response_format} {@code json_schema} with {@code "strict": true}),
 * which accepts only a subset of JSON Schema
 * (https://platform.openai.com/docs/guides/structured-outputs#supported-schemas):
 * <ul>
 * <li>every object has {@code "additionalProperties": false}: added where it is missing;</li>
 * <li>every property is listed in {@code required}: an optional property becomes required with a
 * nullable type ({@code "type": [t, "null"]}, or {@code anyOf} with {@code {"type": "null"}} where the
 * property has no single type), so the model answers {@code null} where it would have left it out;</li>
 * <li>Gemini's OpenAPI dialect is read too: upper-case type names ({@code "OBJECT"}) and
 * {@code "nullable": true} become their JSON Schema forms, {@code oneOf} becomes {@code anyOf}, and
 * {@code default} (which strict mode refuses and cannot honour, every property being required) is
 * left out.</li>
 * </ul>
 * A schema strict mode refuses for what it means cannot be adapted without changing that meaning:
 * a root that is not an object, an object that allows other properties
 * ({@code additionalProperties} {@code true} or a schema), and the keywords strict mode does not
 * support ({@code allOf}, {@code not}, {@code if}/{@code then}/{@code else},
 * {@code dependentRequired}, {@code dependentSchemas}, {@code patternProperties},
 * {@code unevaluatedProperties}, {@code propertyNames}). {@code $ref} and {@code $defs} are kept:
 * strict mode supports them. The input is never changed (it may be shared by the other models of a
 * chain, the failure of LiteLLM issue 31343).
 *
 * <p>Pure and stateless. Public: used by the OpenAI mapping, and by any format that sends OpenAI
 * strict schemas.
 */
public final class StrictSchemas {

	/** Keywords strict mode refuses, and that no rewrite keeps the meaning of. */
	private static final Set<String> REFUSED = Set.of("allOf", "not", "if", "then", "else", "dependentRequired",
			"dependentSchemas", "patternProperties", "unevaluatedProperties", "propertyNames");

	/** Members whose value is one schema. */
	private static final Set<String> SCHEMA_MEMBERS = Set.of("items", "contains", "additionalItems");

	/** Members whose value is a list of schemas. */
	private static final Set<String> SCHEMA_LISTS = Set.of("anyOf", "oneOf", "prefixItems");

	/** Members whose value maps names to schemas. */
	private static final Set<String> SCHEMA_MAPS = Set.of("properties", "$defs", "definitions");

	private StrictSchemas() {
	}

	/**
	 * The schema as strict mode accepts it.
	 * @param schema the caller's schema (not changed)
	 * @return a new schema
	 * @throws NotAdaptableException where strict mode refuses what the schema means
	 */
	public static Map<String, Object> adapt(Map<String, ?> schema) {
		if (schema.isEmpty()) {
			// A tool without parameters: an object with none.
			Map<String, Object> empty = new LinkedHashMap<>();
			empty.put("type", "object");
			empty.put("properties", new LinkedHashMap<>());
			empty.put("required", new ArrayList<>());
			empty.put("additionalProperties", false);
			return empty;
		}
		Map<String, Object> adapted = node(schema, "#");
		if (!"object".equals(adapted.get("type"))) {
			throw new NotAdaptableException("#: the root of a strict schema must be an object, not "
					+ describeRoot(adapted));
		}
		return adapted;
	}

	/**
	 * Why strict mode cannot take a schema.
	 * @param schema the schema
	 * @return what it refuses, or {@code null} where {@link #adapt} succeeds
	 */
	public static @Nullable String problem(Map<String, ?> schema) {
		try {
			adapt(schema);
			return null;
		}
		catch (NotAdaptableException ex) {
			return ex.getMessage();
		}
	}

	private static String describeRoot(Map<String, Object> root) {
		if (root.containsKey("anyOf")) {
			return "anyOf";
		}
		Object type = root.get("type");
		return (type != null) ? "type " + type : "a schema without a type";
	}

	private static Map<String, Object> node(Map<String, ?> schema, String path) {
		Map<String, Object> out = new LinkedHashMap<>();
		boolean nullable = Boolean.TRUE.equals(schema.get("nullable"));
		for (Map.Entry<String, ?> entry : schema.entrySet()) {
			String key = entry.getKey();
			Object value = entry.getValue();
			if (REFUSED.contains(key)) {
				throw new NotAdaptableException(path + ": strict mode does not support '" + key + "'");
			}
			switch (key) {
				case "nullable", "default" -> {
					// Gemini's nullable becomes a type below; a default cannot apply to a required property.
				}
				case "type" -> out.put(key, type(value));
				case "oneOf" -> out.put("anyOf", list(value, path + "/oneOf"));
				case "additionalProperties" -> {
					if (!Boolean.FALSE.equals(value)) {
						throw new NotAdaptableException(path + ": strict mode refuses an object that allows other "
								+ "properties (additionalProperties " + (Boolean.TRUE.equals(value) ? "true" : "a schema")
								+ ")");
					}
					out.put(key, false);
				}
				default -> out.put(key, member(key, value, path));
			}
		}
		if (isObject(out)) {
			closeObject(schema, out);
		}
		if (nullable) {
			return nullable(out);
		}
		return out;
	}

	private static @Nullable Object member(String key, @Nullable Object value, String path) {
		if (SCHEMA_MEMBERS.contains(key) && value instanceof Map<?, ?> map) {
			return node(cast(map), path + "/" + key);
		}
		if (SCHEMA_LISTS.contains(key) || ("items".equals(key) && value instanceof List<?>)) {
			return list(value, path + "/" + key);
		}
		if (SCHEMA_MAPS.contains(key) && value instanceof Map<?, ?> map) {
			Map<String, Object> schemas = new LinkedHashMap<>();
			for (Map.Entry<?, ?> entry : map.entrySet()) {
				Object child = entry.getValue();
				schemas.put(String.valueOf(entry.getKey()), (child instanceof Map<?, ?> childMap)
						? node(cast(childMap), path + "/" + key + "/" + entry.getKey()) : child);
			}
			return schemas;
		}
		return value;
	}

	private static List<Object> list(@Nullable Object value, String path) {
		List<Object> out = new ArrayList<>();
		if (value instanceof List<?> list) {
			for (int i = 0; i < list.size(); i++) {
				Object element = list.get(i);
				out.add((element instanceof Map<?, ?> map) ? node(cast(map), path + "/" + i) : element);
			}
		}
		return out;
	}

	/** Gemini spells types in upper case ({@code "OBJECT"}); JSON Schema in lower case. */
	private static @Nullable Object type(@Nullable Object type) {
		if (type instanceof String name) {
			return name.toLowerCase(Locale.ROOT);
		}
		if (type instanceof List<?> names) {
			List<Object> out = new ArrayList<>(names.size());
			for (Object name : names) {
				out.add((name instanceof String text) ? text.toLowerCase(Locale.ROOT) : name);
			}
			return out;
		}
		return type;
	}

	private static boolean isObject(Map<String, Object> schema) {
		Object type = schema.get("type");
		return "object".equals(type) || (type instanceof List<?> types && types.contains("object"))
				|| (type == null && schema.get("properties") instanceof Map<?, ?>);
	}

	/** Closes an object: no other properties, every property required, the optional ones nullable. */
	private static void closeObject(Map<String, ?> original, Map<String, Object> out) {
		out.putIfAbsent("additionalProperties", false);
		Object properties = out.get("properties");
		if (!(properties instanceof Map<?, ?>)) {
			out.put("properties", new LinkedHashMap<>());
			out.put("required", new ArrayList<>());
			return;
		}
		Map<String, Object> props = cast((Map<?, ?>) properties);
		Object required = original.get("required");
		List<?> wasRequired = (required instanceof List<?> list) ? list : List.of();
		List<Object> all = new ArrayList<>(props.size());
		for (Map.Entry<String, Object> entry : props.entrySet()) {
			all.add(entry.getKey());
			if (!wasRequired.contains(entry.getKey()) && entry.getValue() instanceof Map<?, ?> child) {
				entry.setValue(nullable(cast(child)));
			}
		}
		out.put("required", all);
	}

	/** A schema that also admits {@code null}. */
	private static Map<String, Object> nullable(Map<String, Object> schema) {
		Object type = schema.get("type");
		boolean noChoice = !schema.containsKey("enum") && !schema.containsKey("const")
				&& !schema.containsKey("anyOf") && !schema.containsKey("$ref");
		if (type instanceof String name && noChoice) {
			if (!"null".equals(name)) {
				Map<String, Object> out = new LinkedHashMap<>(schema);
				out.put("type", List.of(name, "null"));
				return out;
			}
			return schema;
		}
		if (type instanceof List<?> names && noChoice) {
			if (!names.contains("null")) {
				List<Object> withNull = new ArrayList<>(names);
				withNull.add("null");
				Map<String, Object> out = new LinkedHashMap<>(schema);
				out.put("type", withNull);
				return out;
			}
			return schema;
		}
		if (schema.size() == 1 && schema.get("anyOf") instanceof List<?> branches) {
			for (Object branch : branches) {
				if (branch instanceof Map<?, ?> map && "null".equals(map.get("type"))) {
					return schema;
				}
			}
			List<Object> withNull = new ArrayList<>(branches);
			withNull.add(Map.of("type", "null"));
			return Map.of("anyOf", withNull);
		}
		// An enum, a const, a $ref, or anyOf with siblings: null as another branch.
		List<Object> branches = new ArrayList<>(2);
		branches.add(schema);
		branches.add(Map.of("type", "null"));
		Map<String, Object> out = new LinkedHashMap<>();
		out.put("anyOf", branches);
		return out;
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> cast(Map<?, ?> map) {
		return (Map<String, Object>) map;
	}

	/** A schema strict mode refuses for what it means; the message says where and why. */
	public static final class NotAdaptableException extends IllegalArgumentException {

		NotAdaptableException(String message) {
			super(message);
		}

	}

}
