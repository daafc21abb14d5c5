package dev.llmfallback.sample.openai;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import dev.llmfallback.Attempt;

/**
 * One event of a streamed answer, OpenAI's {@code chat.completion.chunk} object. The chunk that
 * carries the finish reason also carries {@code x_fallback} (the model that served, the attempts);
 * a usage chunk has no choices.
 *
 * @param id the same for every chunk of an answer
 * @param object always {@code chat.completion.chunk}
 * @param created seconds since the epoch
 * @param model the configured model that served the answer
 * @param choices one choice, or none in the usage chunk
 * @param usage tokens used, in the usage chunk only
 * @param fallback how the answer was served, in the finishing chunk only
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ChatCompletionChunk(String id, String object, long created, String model, List<Choice> choices,
		CompletionUsage usage, @JsonProperty("x_fallback") Fallback fallback) {

	public static final String OBJECT = "chat.completion.chunk";

	/**
	 * @param index always 0
	 * @param delta the new text, empty in the finishing chunk
	 * @param finishReason why the answer ended, {@code null} until then
	 */
	@JsonInclude(JsonInclude.Include.ALWAYS)
	public record Choice(int index, Delta delta, @JsonProperty("finish_reason") String finishReason) {
	}

	/** @param content the new text, or {@code null} in the finishing chunk */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	public record Delta(String content) {
	}

	/**
	 * @param servedBy the configured model that served the answer
	 * @param attempts every call and skip of the walk
	 */
	public record Fallback(@JsonProperty("served_by") String servedBy, List<Attempt> attempts) {
	}

}
