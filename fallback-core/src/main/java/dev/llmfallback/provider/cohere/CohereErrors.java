package dev.llmfallback.provider.cohere;

import dev.llmfallback.ErrorCategory;
import dev.llmfallback.provider.http.ErrorRules;

/**
 * Cohere's own statuses (https://docs.cohere.com/reference/errors): 498 is a request or answer
 * blocked by its safety system; 499 a request cancelled on Cohere's side, which may be retried.
 */
final class CohereErrors {

	static final ErrorRules RULES = ErrorRules.builder()
		.status(498, ErrorCategory.CONTENT_POLICY)
		.status(499, ErrorCategory.SERVER_ERROR)
		.build();

	private CohereErrors() {
	}

}
