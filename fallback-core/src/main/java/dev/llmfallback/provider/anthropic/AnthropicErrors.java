package dev.llmfallback.provider.anthropic;

import dev.llmfallback.ErrorCategory;
import dev.llmfallback.provider.http.ErrorRules;

/**
 * Anthropic's error types (https://docs.anthropic.com/en/api/errors): each names its category.
 * {@code invalid_request_error}, {@code request_too_large} and {@code api_error} say nothing on their
 * own and stay with the shared neutral codes.
 */
final class AnthropicErrors {

	static final ErrorRules RULES = ErrorRules.builder()
		.codes(ErrorCategory.AUTHENTICATION, "authentication_error")
		.codes(ErrorCategory.PERMISSION_DENIED, "permission_error")
		.codes(ErrorCategory.NOT_FOUND, "not_found_error")
		.codes(ErrorCategory.RATE_LIMIT, "rate_limit_error")
		.codes(ErrorCategory.QUOTA_EXCEEDED, "billing_error")
		.codes(ErrorCategory.SERVICE_UNAVAILABLE, "overloaded_error")
		.build();

	private AnthropicErrors() {
	}

}
