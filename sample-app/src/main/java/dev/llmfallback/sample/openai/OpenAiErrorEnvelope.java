package dev.llmfallback.sample.openai;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.jspecify.annotations.Nullable;

import dev.llmfallback.Attempt;
import dev.llmfallback.web.FallbackErrorResponse;

/**
 * OpenAI's error envelope, {@code {"error": {"message", "type", "param", "code"}}}, with the
 * failure's {@code category} and {@code attempts} beside OpenAI's fields.
 *
 * @param error the error object
 */
public record OpenAiErrorEnvelope(Error error) {

	/**
	 * @param answer how the failure is answered
	 * @return the envelope for it
	 */
	public static OpenAiErrorEnvelope of(FallbackErrorResponse answer) {
		return new OpenAiErrorEnvelope(new Error(answer.message(), answer.openAiType(), null, answer.openAiCode(),
				answer.category().id(), answer.attempts()));
	}

	/**
	 * @param message what went wrong
	 * @param type OpenAI's error type
	 * @param param the request field at fault, where known
	 * @param code OpenAI's code where it has one, else the category
	 * @param category the error category (left out for a refused client key: no chain was walked)
	 * @param attempts every call and skip of the walk (left out likewise)
	 */
	public record Error(String message, String type, @Nullable String param, @Nullable String code,
			@JsonInclude(JsonInclude.Include.NON_NULL) @Nullable String category,
			@JsonInclude(JsonInclude.Include.NON_NULL) @Nullable List<Attempt> attempts) {
	}

}
