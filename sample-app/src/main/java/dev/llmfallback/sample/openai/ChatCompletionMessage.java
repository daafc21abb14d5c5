package dev.llmfallback.sample.openai;

import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonProperty;
import tools.jackson.databind.JsonNode;

/**
 * One message of a request: its role and content (a string, or an array of content parts), the
 * assistant's tool calls, the id of the call a tool message answers, the author's name; every other
 * field is kept in {@link #extra()}.
 *
 * @param role system, developer, user, assistant or tool
 * @param content a string or an array of content parts
 * @param toolCalls on an assistant message, the calls it made
 * @param toolCallId on a tool message, the call it answers
 * @param name the author's name
 * @param extra every other field, as read
 */
public record ChatCompletionMessage(String role, JsonNode content, @JsonProperty("tool_calls") JsonNode toolCalls,
		@JsonProperty("tool_call_id") String toolCallId, String name, @JsonAnySetter Map<String, Object> extra) {

	public ChatCompletionMessage {
		extra = (extra != null) ? extra : new LinkedHashMap<>();
	}

}
