package dev.llmfallback.provider.ollama;

import dev.llmfallback.ErrorCategory;
import dev.llmfallback.provider.http.ErrorRules;

/**
 * What only Ollama says, as {@code {"error": "text"}}: a model that is not pulled, and a model
 * that lacks a capability ("llama2 does not support thinking", "... does not support generate" from
 * an embedding model, "this model is missing data required for image input"). The shared rules
 * already read "does not support tools" and "does not support images", which Ollama's {@code /v1}
 * endpoint answers too.
 */
final class OllamaErrors {

	static final ErrorRules RULES = ErrorRules.builder()
		// https://github.com/ollama/ollama/issues/3876
		.messages(ErrorCategory.NOT_FOUND, "try pulling it first")
		.messages(ErrorCategory.UNSUPPORTED, "does not support (thinking|insert|generate|chat|completion)\\b",
				"missing data required for image input")
		.build();

	private OllamaErrors() {
	}

}
