package dev.llmfallback.sample.openai;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A non-streamed answer, OpenAI's {@code chat.completion} object.
 *
 * @param id {@code chatcmpl-...}
 * @param object always {@code chat.completion}
 * @param created seconds since the epoch
 * @param model the configured model that served the answer
 * @param choices the one choice
 * @param usage tokens used, where the provider reported them
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ChatCompletion(String id, String object, long created, String model, List<Choice> choices,
		CompletionUsage usage) {

	public static final String OBJECT = "chat.completion";

	/**
	 * @param index always 0
	 * @param message the assistant's message
	 * @param finishReason why the answer ended
	 */
	public record Choice(int index, Message message, @JsonProperty("finish_reason") String finishReason) {
	}

	/**
	 * @param role always {@code assistant}
	 * @param content the answer's text
	 */
	@JsonInclude(JsonInclude.Include.ALWAYS)
	public record Message(String role, String content) {
	}

}
