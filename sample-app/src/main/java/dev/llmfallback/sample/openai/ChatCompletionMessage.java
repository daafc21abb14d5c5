package dev.llmfallback.sample.openai;

import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonAnySetter;
import tools.jackson.databind.JsonNode;
import org.jspecify.annotations.Nullable;

/**
 * One message of a request: its role and content (a string, or an array of content parts), with
 * every other field (name, tool calls, ...) kept in {@link #extra()}.
 *
 * @param role system, developer, user, assistant or tool
 * @param content a string or an array of content parts
 * @param extra every other field, as read
 */
public record ChatCompletionMessage(@Nullable String role, @Nullable JsonNode content,
		@JsonAnySetter Map<String, Object> extra) {

	public ChatCompletionMessage {
		extra = (extra != null) ? extra : new LinkedHashMap<>();
	}

}
