package dev.llmfallback.provider.cohere;

import dev.llmfallback.ErrorCategory;
import dev.llmfallback.provider.http.ErrorRules;

/**
 * Cohere's own statuses (https://docs.cohere.com/reference/errors): 498 is a request or answer
 * blocked by its safety system; 499 a request cancelled on Cohere's side, which may be retried; a
 * feature "not supported for model" is unsupported (next model, no retry).
 */
final class CohereErrors {

	static final ErrorRules RULES = ErrorRules.builder()
		.status(498, ErrorCategory.CONTENT_POLICY)
		.status(499, ErrorCategory.SERVER_ERROR)
		// A capability the model lacks, e.g. "generate API is not supported for model '...'"
		// (https://github.com/BerriAI/litellm/issues/9485); tools and images refused in the shared
		// wording ("does not support tools") are read by the shared rules.
		.messages(ErrorCategory.UNSUPPORTED, "is not supported for (this )?model")
		.build();

	private CohereErrors() {
	}

}
