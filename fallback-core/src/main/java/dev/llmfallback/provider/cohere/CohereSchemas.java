package dev.llmfallback.provider.cohere;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.llmfallback.provider.http.Json;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Fits a JSON Schema to what Cohere's structured outputs take (https://docs.cohere.com/docs/structured-outputs,
 * "Schema constraints" and "Unsupported schema features"): the top level is an object; every object
 * names at least one required field (an object with properties and none required gets all of them
 * required, as OpenAI's strict mode has it); range, length, {@code uniqueItems} keywords and formats
 * other than {@code date-time}, {@code uuid}, {@code date}, {@code time} are not taken, so they move
 * into the description as a hint to the model; {@code additionalProperties} is left out (a
 * constrained answer has no others); a pattern loses its leading {@code ^} and trailing {@code $}.
 * A schema using composition ({@code anyOf}, {@code allOf}, {@code oneOf}, {@code not}), lookaheads,
 * anchors elsewhere in a pattern, or nested deeper than 64 levels cannot be fitted.
 */
final class CohereSchemas {

	private static final List<String> HINTED = List.of("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum",
			"multipleOf", "minItems", "maxItems", "minLength", "maxLength", "uniqueItems");

	private static final Set<String> COMPOSITION = Set.of("anyOf", "allOf", "oneOf", "not");

	private static final Set<String> FORMATS = Set.of("date-time", "uuid", "date", "time");

	private static final int MAX_DEPTH = 64;

	private CohereSchemas() {
	}

	/**
	 * The schema as Cohere takes it.
	 * @param schema the caller's schema
	 * @return a fitted copy, or {@code null} where it cannot be fitted
	 */
	static @Nullable ObjectNode fit(Map<String, Object> schema) {
		JsonNode tree = Json.tree(schema);
		if (!(tree instanceof ObjectNode root) || !"object".equals(Json.text(root.get("type")))) {
			return null;
		}
		return fit(root, 0) ? root : null;
	}

	private static boolean fit(JsonNode node, int depth) {
		if (depth > MAX_DEPTH) {
			return false;
		}
		if (node instanceof ArrayNode array) {
			for (JsonNode element : array) {
				if (!fit(element, depth + 1)) {
					return false;
				}
			}
			return true;
		}
		if (!(node instanceof ObjectNode schema)) {
			return true;
		}
		for (String keyword : COMPOSITION) {
			if (schema.has(keyword)) {
				return false;
			}
		}
		List<String> hints = new ArrayList<>();
		for (String keyword : HINTED) {
			JsonNode value = schema.remove(keyword);
			if (value != null) {
				hints.add(keyword + " " + value);
			}
		}
		String format = Json.text(schema.get("format"));
		if (format != null && !FORMATS.contains(format)) {
			schema.remove("format");
			hints.add("format " + format);
		}
		schema.remove("additionalProperties");
		if (schema.get("pattern") != null && !fitPattern(schema)) {
			return false;
		}
		if (schema.get("properties") instanceof ObjectNode properties && !properties.isEmpty()
				&& (!(schema.get("required") instanceof ArrayNode required) || required.isEmpty())) {
			ArrayNode all = schema.putArray("required");
			properties.propertyNames().forEach(all::add);
		}
		if (!hints.isEmpty()) {
			String description = Json.text(schema.get("description"));
			String hint = "(" + String.join(", ", hints) + ")";
			schema.put("description", (description != null && !description.isBlank()) ? description + " " + hint : hint);
		}
		for (String nested : List.of("properties", "$defs", "definitions")) {
			if (schema.get(nested) instanceof ObjectNode members) {
				for (JsonNode member : members) {
					if (!fit(member, depth + 1)) {
						return false;
					}
				}
			}
		}
		for (String nested : List.of("items", "prefixItems")) {
			JsonNode member = schema.get(nested);
			if (member != null && !fit(member, depth + 1)) {
				return false;
			}
		}
		return true;
	}

	private static boolean fitPattern(ObjectNode schema) {
		String pattern = Json.text(schema.get("pattern"));
		if (pattern == null || pattern.contains("?=") || pattern.contains("?!")) {
			return false;
		}
		if (pattern.startsWith("^")) {
			pattern = pattern.substring(1);
		}
		if (pattern.endsWith("$") && !pattern.endsWith("\\$")) {
			pattern = pattern.substring(0, pattern.length() - 1);
		}
		if (pattern.replace("\\^", "").replace("\\$", "").matches(".*[\\^$].*")) {
			return false;
		}
		schema.put("pattern", pattern);
		return true;
	}

}
