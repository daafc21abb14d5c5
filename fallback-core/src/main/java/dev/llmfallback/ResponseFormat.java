package dev.llmfallback;

import java.util.Map;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import org.jspecify.annotations.Nullable;

/**
 * The shape the answer must take: {@link #TEXT}, {@link #JSON_OBJECT} (any JSON object) or a
 * {@link JsonSchema}. Each wire format receives it in its native form where it has one.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({ @JsonSubTypes.Type(value = ResponseFormat.Text.class, name = "text"),
		@JsonSubTypes.Type(value = ResponseFormat.JsonObject.class, name = "json_object"),
		@JsonSubTypes.Type(value = ResponseFormat.JsonSchema.class, name = "json_schema") })
public sealed interface ResponseFormat {

	/** Free text (the default). */
	ResponseFormat TEXT = new Text();

	/** Any JSON object. */
	ResponseFormat JSON_OBJECT = new JsonObject();

	/**
	 * A JSON object valid against a schema.
	 * @param name the schema's name
	 * @param schema the JSON Schema, as maps and lists
	 * @param strict whether the answer must match the schema exactly (OpenAI's strict mode)
	 * @return the format
	 */
	@SuppressWarnings("unchecked")
	static JsonSchema jsonSchema(String name, Map<String, ?> schema, boolean strict) {
		return new JsonSchema(name, null, (Map<String, Object>) schema, strict);
	}

	/** @return the format's OpenAI name: {@code text}, {@code json_object} or {@code json_schema} */
	@JsonIgnore
	String type();

	/** Free text. */
	record Text() implements ResponseFormat {

		@Override
		public String type() {
			return "text";
		}

	}

	/** Any JSON object. */
	record JsonObject() implements ResponseFormat {

		@Override
		public String type() {
			return "json_object";
		}

	}

	/**
	 * A JSON object valid against {@code schema}.
	 *
	 * @param name the schema's name ({@code a-z A-Z 0-9 _ -}, at most 64 characters)
	 * @param description what the answer is, or {@code null}
	 * @param schema the JSON Schema, as maps and lists
	 * @param strict whether the answer must match the schema exactly
	 */
	record JsonSchema(String name, @Nullable String description, Map<String, Object> schema, boolean strict)
			implements ResponseFormat {

		public JsonSchema {
			if (name == null || !name.matches("[a-zA-Z0-9_-]{1,64}")) {
				throw LlmException.builder(ErrorCategory.BAD_REQUEST)
					.message("a response schema's name must be 1 to 64 characters of a-z, A-Z, 0-9, _ and -, was '"
							+ name + "'")
					.build();
			}
			schema = JsonValues.copyObject(schema, "the response schema '" + name + "'");
		}

		@Override
		public String type() {
			return "json_schema";
		}

	}

}
