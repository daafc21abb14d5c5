package dev.llmfallback.provider.gemini;

import dev.llmfallback.ErrorCategory;
import dev.llmfallback.provider.http.ErrorRules;

/**
 * What only the Gemini API says: the {@code ErrorInfo.reason} of a rejected key
 * (https://ai.google.dev/gemini-api/docs/troubleshooting). Google's canonical status names
 * ({@code RESOURCE_EXHAUSTED}, {@code UNAVAILABLE}, ...) and quota ids stay shared: Gemini's
 * OpenAI-compatible endpoint answers with them too.
 */
final class GeminiErrors {

	static final ErrorRules RULES = ErrorRules.builder()
		.codes(ErrorCategory.AUTHENTICATION, "API_KEY_INVALID")
		.build();

	private GeminiErrors() {
	}

}
