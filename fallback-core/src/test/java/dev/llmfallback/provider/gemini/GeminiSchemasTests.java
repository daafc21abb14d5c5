package dev.llmfallback.provider.gemini;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link GeminiSchemas}: JSON Schemas into Gemini's OpenAPI subset, or not adaptable. */
class GeminiSchemasTests {

	@Test
	void keywordsGeminiRejectsAreLeftOut() {
		assertThat(adapt("""
				{"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": "urn:x", "type": "object",
				 "strict": true, "additionalProperties": false, "$comment": "c",
				 "properties": {"n": {"type": "integer", "minimum": 1, "exclusiveMaximum": 10, "default": 2,
				                      "examples": [3], "description": "how many"},
				                "additionalProperties": {"type": "string", "format": "date-time"}},
				 "required": ["n"], "patternProperties": {"^x": {}}, "unevaluatedProperties": false}
				""")).isEqualTo(tree("""
				{"type": "object",
				 "properties": {"n": {"type": "integer", "minimum": 1, "description": "how many"},
				                "additionalProperties": {"type": "string", "format": "date-time"}},
				 "required": ["n"]}
				"""));
	}

	@Test
	void referencesAreInlinedAndDefinitionsRemoved() {
		assertThat(adapt("""
				{"type": "object",
				 "properties": {"from": {"$ref": "#/$defs/Place"}, "to": {"$ref": "#/definitions/Place", "description": "where to"}},
				 "$defs": {"Place": {"type": "object", "properties": {"name": {"type": "string"}}}},
				 "definitions": {"Place": {"type": "object", "properties": {"code": {"type": "string"}}}}}
				""")).isEqualTo(tree("""
				{"type": "object",
				 "properties": {"from": {"type": "object", "properties": {"name": {"type": "string"}}},
				                "to": {"type": "object", "properties": {"code": {"type": "string"}}, "description": "where to"}}}
				"""));
	}

	@Test
	void theSameDefinitionTwiceInARowIsNotRecursion() {
		assertThat(adapt("""
				{"type": "object", "properties": {"a": {"$ref": "#/$defs/S"}, "b": {"type": "array", "items": {"$ref": "#/$defs/S"}}},
				 "$defs": {"S": {"type": "string"}}}
				""")).isEqualTo(tree("""
				{"type": "object", "properties": {"a": {"type": "string"}, "b": {"type": "array", "items": {"type": "string"}}}}
				"""));
	}

	@Test
	void recursiveOrDanglingReferencesAreNotAdaptable() {
		assertThat(adapt("""
				{"type": "object", "properties": {"root": {"$ref": "#/$defs/Node"}},
				 "$defs": {"Node": {"type": "object", "properties": {"next": {"$ref": "#/$defs/Node"}}}}}
				""")).isNull();
		assertThat(adapt("""
				{"type": "object", "properties": {"a": {"$ref": "#/$defs/A"}},
				 "$defs": {"A": {"anyOf": [{"type": "string"}, {"$ref": "#/$defs/B"}]}, "B": {"type": "array", "items": {"$ref": "#/$defs/A"}}}}
				""")).isNull();
		assertThat(adapt("{\"type\": \"object\", \"properties\": {\"a\": {\"$ref\": \"#/$defs/Missing\"}}}")).isNull();
		assertThat(adapt("{\"type\": \"object\", \"properties\": {\"a\": {\"$ref\": \"https://example.com/a.json\"}}}")).isNull();
		assertThat(adapt("{\"type\": \"object\", \"properties\": {\"a\": {\"$ref\": \"#\"}}}")).isNull();
	}

	@Test
	void typeListsBecomeNullableOrAnyOf() {
		assertThat(adapt("{\"type\": [\"string\", \"null\"]}")).isEqualTo(tree("{\"type\": \"string\", \"nullable\": true}"));
		assertThat(adapt("{\"type\": [\"string\", \"integer\"]}"))
			.isEqualTo(tree("{\"anyOf\": [{\"type\": \"string\"}, {\"type\": \"integer\"}]}"));
		assertThat(adapt("{\"type\": \"null\"}")).isNull();
	}

	@Test
	void oneOfAllOfConstAndEnums() {
		assertThat(adapt("""
				{"oneOf": [{"type": "string", "const": "a"}, {"type": "integer", "enum": [1, 2]}],
				 "allOf": [{"description": "one of two"}]}
				""")).isEqualTo(tree("""
				{"anyOf": [{"type": "string", "enum": ["a"]}, {"type": "integer"}], "description": "one of two"}
				"""));
		assertThat(adapt("{\"allOf\": [{\"type\": \"string\"}, {\"minLength\": 2}]}")).isNull();
		assertThat(adapt("{\"type\": \"array\", \"items\": [{\"type\": \"string\"}]}")).isNull();
	}

	@Test
	void nestingIsBoundedNotAStackOverflow() {
		assertThat(GeminiSchemas.adapt(nested(GeminiSchemas.MAX_DEPTH - 1))).isNotNull();
		assertThat(GeminiSchemas.adapt(nested(GeminiSchemas.MAX_DEPTH + 1))).isNull();
		assertThat(GeminiSchemas.adapt(nested(5_000))).isNull();
	}

	private static Map<String, Object> nested(int depth) {
		Map<String, Object> schema = Map.of("type", "string");
		for (int i = 0; i < depth; i++) {
			Map<String, Object> parent = new HashMap<>();
			parent.put("type", "array");
			parent.put("items", schema);
			schema = parent;
		}
		return schema;
	}

	@SuppressWarnings("unchecked")
	private static JsonNode adapt(String schema) {
		return GeminiSchemas.adapt(JsonMapper.shared().readValue(schema, Map.class));
	}

	private static JsonNode tree(String json) {
		return JsonMapper.shared().readTree(json);
	}

}
