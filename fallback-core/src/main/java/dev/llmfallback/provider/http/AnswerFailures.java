package dev.llmfallback.provider.http;

import dev.llmfallback.ErrorCategory;
import dev.llmfallback.LlmException;
import dev.llmfallback.LlmException.ClassificationBasis;

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
	 * An answer that is not usable.
	 * @param provider the configured provider name
	 * @param message what is wrong
	 * @return the exception (not thrown)
	 */
	public static LlmException invalid(String provider, String message) {
		return TransportErrors.invalidResponse(provider, 200, message);
	}

}
