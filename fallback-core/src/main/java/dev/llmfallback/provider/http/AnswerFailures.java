package dev.llmfallback.provider.http;

import dev.llmfallback.ErrorCategory;
import dev.llmfallback.LlmException.ClassificationBasis;
import dev.llmfallback.LlmException;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeType;

/**
 * The failures a successful (HTTP 200) answer can still be: blocked on safety grounds, or not
 * usable. Public because each format's {@code XxxMessages}, in its own package, raises them while
 * mapping an answer.
 */
public final class AnswerFailures {

	private AnswerFailures() {
	}

	/**
	 * An answer the provider refused on safety grounds.
	 * @param provider the configured provider name
	 * @param reason what the provider said
	 * @return the exception (not thrown)
	 */
	public static LlmException contentBlocked(String provider, String reason) {
		return LlmException.builder(ErrorCategory.CONTENT_POLICY)
			.message(provider + ": the answer was blocked: " + reason)
			.httpStatus(200)
			.errorCode(reason)
			.basis(ClassificationBasis.BODY)
			.provider(provider)
			.build();
	}

	/**
	 * Fails an answer that ended with the format's refusal reason and carries no text.
	 * @param provider the configured provider name
	 * @param hasText whether the answer carries text
	 * @param field the reason's field, e.g. {@code stop_reason}
	 * @param reason the reason the answer gave, or {@code null}
	 * @param refusal the format's refusal reason, e.g. {@code refusal}
	 * @throws dev.llmfallback.LlmException ({@code content_policy}) for such an answer
	 */
	public static void checkRefusal(String provider, boolean hasText, String field, @Nullable String reason,
			String refusal) {
		if (!hasText && refusal.equals(reason)) {
			throw contentBlocked(provider, field + " " + refusal);
		}
	}

	/**
	 * A member an answer must have, of the JSON type it must have.
	 * @param provider the configured provider name
	 * @param answer the answer
	 * @param field the member's name
	 * @param type the member's JSON type
	 * @param what what the answer lacks otherwise, e.g. "content array"
	 * @return the member
	 * @throws dev.llmfallback.LlmException ({@code invalid_response}) where it is missing or of
	 * another type
	 */
	public static JsonNode required(String provider, JsonNode answer, String field, JsonNodeType type, String what) {
		JsonNode member = answer.get(field);
		if (member == null || member.getNodeType() != type) {
			throw invalid(provider, "the answer has no " + what);
		}
		return member;
	}

	/**
	 * An answer that is not usable.
	 * @param provider the configured provider name
	 * @param message what is wrong
	 * @return the exception (not thrown)
	 */
	public static LlmException invalid(String provider, String message) {
		return TransportErrors.invalidResponse(provider, 200, message);
	}

}
