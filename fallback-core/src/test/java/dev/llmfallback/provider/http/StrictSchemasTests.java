package dev.llmfallback.provider.http;

import java.util.Map;

import org.junit.jupiter.api.Test;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * {@link StrictSchemas} against the rules of OpenAI's strict mode
 * (https://platform.openai.com/docs/guides/structured-outputs#supported-schemas).
 */
class StrictSchemasTests {

	@Test
	void aSchemaAlreadyStrictIsUnchanged() {
		// The docs' math_reasoning example.
		String strict = """
				{"type": "object", "properties": {
				   "steps": {"type": "array", "items": {"type": "object",
				     "properties": {"explanation": {"type": "string"}, "output": {"type": "string"}},
				     "required": ["explanation", "output"], "additionalProperties": false}},
				   "final_answer": {"type": "string"}},
				 "required": ["steps", "final_answer"], "additionalProperties": false}""";
		assertThat(adapt(strict)).isEqualTo(json(strict));
		assertThat(StrictSchemas.problem(map(strict))).isNull();
	}

	@Test
	void everyObjectIsClosedAndOptionalPropertiesBecomeRequiredAndNullable() {
		assertThat(adapt("""
				{"type": "object", "properties": {
				   "name": {"type": "string"},
				   "address": {"type": "object", "properties": {"city": {"type": "string"}, "zip": {"type": "string"}},
				     "required": ["city"]},
				   "tags": {"type": "array", "items": {"type": "object", "properties": {"label": {"type": "string"}}}}},
				 "required": ["name"]}""")).isEqualTo(json("""
				{"type": "object", "properties": {
				   "name": {"type": "string"},
				   "address": {"type": ["object", "null"], "properties": {"city": {"type": "string"}, "zip": {"type": ["string", "null"]}},
				     "required": ["city", "zip"], "additionalProperties": false},
				   "tags": {"type": ["array", "null"], "items": {"type": "object", "properties": {"label": {"type": ["string", "null"]}},
				     "additionalProperties": false, "required": ["label"]}}},
				 "required": ["name", "address", "tags"], "additionalProperties": false}"""));
	}

	@Test
	void optionalPropertiesWithoutOneTypeGetANullBranch() {
		assertThat(adapt("""
				{"type": "object", "properties": {
				   "unit": {"type": "string", "enum": ["c", "f"]},
				   "place": {"$ref": "#/$defs/place"},
				   "id": {"anyOf": [{"type": "string"}, {"type": "integer"}]}},
				 "$defs": {"place": {"type": "object", "properties": {"name": {"type": "string"}}, "required": ["name"]}}}
				""")).isEqualTo(json("""
				{"type": "object", "properties": {
				   "unit": {"anyOf": [{"type": "string", "enum": ["c", "f"]}, {"type": "null"}]},
				   "place": {"anyOf": [{"$ref": "#/$defs/place"}, {"type": "null"}]},
				   "id": {"anyOf": [{"type": "string"}, {"type": "integer"}, {"type": "null"}]}},
				 "$defs": {"place": {"type": "object", "properties": {"name": {"type": "string"}}, "required": ["name"],
				   "additionalProperties": false}},
				 "additionalProperties": false, "required": ["unit", "place", "id"]}"""));
	}

	@Test
	void geminiDialectIsRead() {
		// LiteLLM issue 31343: a Gemini-bound schema (upper-case types, nullable, no additionalProperties)
		// sent on to OpenAI in strict mode.
		assertThat(adapt("""
				{"type": "OBJECT", "properties": {"q": {"type": "STRING", "default": "x"},
				   "limit": {"type": "INTEGER", "nullable": true}, "mode": {"oneOf": [{"type": "STRING"}, {"type": "NUMBER"}]}},
				 "required": ["q", "limit", "mode"]}""")).isEqualTo(json("""
				{"type": "object", "properties": {"q": {"type": "string"}, "limit": {"type": ["integer", "null"]},
				   "mode": {"anyOf": [{"type": "string"}, {"type": "number"}]}},
				 "required": ["q", "limit", "mode"], "additionalProperties": false}"""));
	}

	@Test
	void noParametersIsAnEmptyClosedObject() {
		assertThat(Json.tree(StrictSchemas.adapt(Map.of()))).isEqualTo(json("""
				{"type": "object", "properties": {}, "required": [], "additionalProperties": false}"""));
	}

	@Test
	void theInputIsNotChanged() {
		Map<String, Object> schema = map("""
				{"type": "object", "properties": {"a": {"type": "string"}}}""");
		JsonNode before = Json.tree(schema);
		StrictSchemas.adapt(schema);
		assertThat(Json.tree(schema)).isEqualTo(before);
	}

	@Test
	void whatStrictModeRefusesIsNotAdapted() {
		assertRefused("""
				{"type": "object", "properties": {"m": {"type": "object", "additionalProperties": {"type": "string"}}}}""",
				"#/properties/m", "additionalProperties a schema");
		assertRefused("""
				{"type": "object", "properties": {}, "additionalProperties": true}""", "additionalProperties true");
		assertRefused("""
				{"type": "object", "properties": {"a": {"allOf": [{"type": "string"}]}}}""", "'allOf'");
		assertRefused("""
				{"type": "object", "properties": {"a": {"type": "string", "not": {"const": "x"}}}}""", "'not'");
		assertRefused("""
				{"type": "object", "if": {}, "then": {}}""", "'if'");
		assertRefused("""
				{"type": "object", "patternProperties": {"^x": {"type": "string"}}}""", "'patternProperties'");
		assertRefused("""
				{"anyOf": [{"type": "object"}, {"type": "string"}]}""", "root", "anyOf");
		assertRefused("""
				{"type": "array", "items": {"type": "string"}}""", "root", "type array");
	}

	private static void assertRefused(String schema, String... words) {
		assertThatExceptionOfType(StrictSchemas.NotAdaptableException.class).isThrownBy(() -> StrictSchemas.adapt(map(schema)))
			.withMessageContainingAll(words);
		assertThat(StrictSchemas.problem(map(schema))).contains(words);
	}

	private static JsonNode adapt(String schema) {
		return Json.tree(StrictSchemas.adapt(map(schema)));
	}

	private static JsonNode json(String text) {
		return Json.MAPPER.readTree(text);
	}

	private static Map<String, Object> map(String text) {
		return Json.MAPPER.readValue(text, new TypeReference<Map<String, Object>>() {
		});
	}

}
