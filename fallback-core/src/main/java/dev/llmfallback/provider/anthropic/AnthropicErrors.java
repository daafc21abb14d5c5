package dev.llmfallback.provider.anthropic;

import dev.llmfallback.ErrorCategory;
import dev.llmfallback.provider.http.ErrorRules;

/**
 * Anthropic's error types (https://docs.anthropic.com/en/api/errors): each names its category.
 * {@code invalid_request_error}, {@code request_too_large} and {@code api_error} say nothing on their
 * own and stay with the shared neutral codes; among their messages, the API's refusals of a
 * capability are {@code unsupported} (next model, no retry, no cooldown): a field it does not know
 * (its validator's "Extra inputs are not permitted", e.g. {@code output_config.format} on a model or
 * platform without structured outputs), an image type it does not take, and extended thinking with
 * the forced tool choice that carries a response format ({@link AnthropicTools}).
 */
final class AnthropicErrors {

	static final ErrorRules RULES = ErrorRules.builder()
		.codes(ErrorCategory.AUTHENTICATION, "authentication_error")
		.codes(ErrorCategory.PERMISSION_DENIED, "permission_error")
		.codes(ErrorCategory.NOT_FOUND, "not_found_error")
		.codes(ErrorCategory.RATE_LIMIT, "rate_limit_error")
		.codes(ErrorCategory.QUOTA_EXCEEDED, "billing_error")
		.codes(ErrorCategory.SERVICE_UNAVAILABLE, "overloaded_error")
		.messages(ErrorCategory.UNSUPPORTED, "Extra inputs are not permitted", "Image format \\S+ not supported",
				"image\\.source\\.base64\\.media_type: Input should be",
				"Thinking may not be enabled when tool_choice forces tool use",
				"does not support (structured outputs?|output_format|output_config)")
		.build();

	private AnthropicErrors() {
	}

}
