package dev.llmfallback.provider.openai;

import dev.llmfallback.ErrorCategory;
import dev.llmfallback.provider.http.ErrorRules;

/**
 * What only the Chat Completions servers say: Azure's content-filter and deployment codes, and
 * the capability refusals of OpenAI and compatible servers. OpenAI's own codes
 * ({@code context_length_exceeded}, {@code insufficient_quota}, ...) are shared by every format:
 * gateways and compatible servers of every kind speak them.
 */
final class OpenAiErrors {

	static final ErrorRules RULES = ErrorRules.builder()
		// https://learn.microsoft.com/azure/ai-services/openai/concepts/content-filter
		.codes(ErrorCategory.CONTENT_POLICY, "ResponsibleAIPolicyViolation")
		.codes(ErrorCategory.NOT_FOUND, "DeploymentNotFound", "deployment_not_found")
		.messages(ErrorCategory.NOT_FOUND, "deploymentnotfound")
		// "Invalid content type. image_url is only supported by certain models." (OpenAI, a text-only model);
		// "Unsupported value: 'stream' does not support true with this model." (o1, code unsupported_value).
		.messages(ErrorCategory.UNSUPPORTED, "image_url is only supported by certain models",
				"'stream' does not support true")
		.build();

	private OpenAiErrors() {
	}

}
