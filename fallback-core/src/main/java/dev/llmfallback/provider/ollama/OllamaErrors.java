package dev.llmfallback.provider.ollama;

import dev.llmfallback.ErrorCategory;
import dev.llmfallback.provider.http.ErrorRules;

/**
 * What only Ollama says, as {@code {"error": "text"}}: a model that is not pulled, and a model
 * used for what its capabilities lack ("... does not support completion" from an embedding model,
 * "... does not support insert" for a suffix, "vision model only supports a single image per
 * message"). The shared rules already read "does not support
 * tools", "thinking" and "image input", which Ollama's {@code /v1} endpoint answers too.
 */
final class OllamaErrors {

	static final ErrorRules RULES = ErrorRules.builder()
		// https://github.com/ollama/ollama/issues/3876
		.messages(ErrorCategory.NOT_FOUND, "try pulling it first")
		.messages(ErrorCategory.UNSUPPORTED, "does not support (completion|insert|generate|chat|embedding)\\b")
		// https://github.com/ollama/ollama-js/issues/213: more images than the vision model takes.
		.messages(ErrorCategory.UNSUPPORTED, "only supports a single image")
		.build();

	private OllamaErrors() {
	}

}
