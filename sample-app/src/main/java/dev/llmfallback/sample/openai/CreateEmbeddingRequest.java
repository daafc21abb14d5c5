package dev.llmfallback.sample.openai;

import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonProperty;
import tools.jackson.databind.JsonNode;
import org.jspecify.annotations.Nullable;

/**
 * The body of {@code POST /v1/embeddings} as OpenAI's {@code CreateEmbeddingRequest} names it.
 * Unlike a chat, nothing is passed on to the provider: every other field is collected in
 * {@link #extra()} only so that the gateway can refuse it by name, never drop it silently.
 *
 * @param model an embedding policy or a configured embedding model
 * @param input a string or an array of strings
 * @param dimensions the length of the vectors, for models that can shorten them
 * @param encodingFormat {@code float} (the default here) or {@code base64} (the official SDKs' default)
 * @param user the end user
 * @param extra every other field, as read
 */
public record CreateEmbeddingRequest(@Nullable String model, @Nullable JsonNode input, @Nullable Integer dimensions,
		@JsonProperty("encoding_format") @Nullable String encodingFormat, @Nullable String user,
		@JsonAnySetter Map<String, Object> extra) {

	public CreateEmbeddingRequest {
		extra = (extra != null) ? extra : new LinkedHashMap<>();
	}

}
