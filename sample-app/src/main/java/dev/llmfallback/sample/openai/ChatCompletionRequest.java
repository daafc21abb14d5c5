package dev.llmfallback.sample.openai;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonProperty;
import tools.jackson.databind.JsonNode;
import org.jspecify.annotations.Nullable;

/**
 * The body of {@code POST /v1/chat/completions} as OpenAI's {@code CreateChatCompletionRequest}
 * names it. The fields the gateway translates are typed; every other field is kept in
 * {@link #extra()}, in order, to be passed on to OpenAI-compatible models.
 *
 * @param model a policy or a configured model
 * @param messages the conversation
 * @param temperature sampling temperature
 * @param topP nucleus sampling
 * @param maxTokens the legacy name of {@code max_completion_tokens}
 * @param maxCompletionTokens most tokens to generate
 * @param stop a string or an array of strings
 * @param user the end user
 * @param stream whether to answer as Server-Sent Events
 * @param streamOptions options of a streamed answer
 * @param extra every other field, as read
 */
public record ChatCompletionRequest(@Nullable String model, @Nullable List<ChatCompletionMessage> messages,
		@Nullable Double temperature, @JsonProperty("top_p") @Nullable Double topP,
		@JsonProperty("max_tokens") @Nullable Integer maxTokens,
		@JsonProperty("max_completion_tokens") @Nullable Integer maxCompletionTokens, @Nullable JsonNode stop,
		@Nullable String user, @Nullable Boolean stream,
		@JsonProperty("stream_options") @Nullable StreamOptions streamOptions,
		@JsonAnySetter Map<String, Object> extra) {

	public ChatCompletionRequest {
		extra = (extra != null) ? extra : new LinkedHashMap<>();
	}

	/**
	 * {@code stream_options}: whether the last chunk reports the usage.
	 *
	 * @param includeUsage whether to send a usage chunk
	 * @param extra every other field
	 */
	public record StreamOptions(@JsonProperty("include_usage") @Nullable Boolean includeUsage,
			@JsonAnySetter Map<String, Object> extra) {

		public StreamOptions {
			extra = (extra != null) ? extra : new LinkedHashMap<>();
		}

	}

}
