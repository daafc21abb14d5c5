package dev.llmfallback.provider.gemini;

import dev.llmfallback.ErrorCategory;
import dev.llmfallback.provider.http.ErrorRules;

/**
 * What only the Gemini API says: the {@code ErrorInfo.reason} of a rejected key
 * (https://ai.google.dev/gemini-api/docs/troubleshooting), and its refusals of a capability, which
 * come as plain {@code INVALID_ARGUMENT} 400s and are {@code unsupported} (the next model may have
 * it; retrying this one cannot help): a field the endpoint does not know ("Invalid JSON payload
 * received. Unknown name ..."; e.g. a schema keyword outside Gemini's subset), and a feature the
 * model lacks ("Function calling is not enabled for models/gemma-3-12b-it", "JSON mode is not
 * enabled for models/...", "Function calling mode `ANY` is not enabled for api version v1beta").
 * Google's canonical status names ({@code RESOURCE_EXHAUSTED}, {@code UNAVAILABLE}, ...) and quota
 * ids stay shared: Gemini's OpenAI-compatible endpoint answers with them too.
 */
final class GeminiErrors {

	static final ErrorRules RULES = ErrorRules.builder()
		.codes(ErrorCategory.AUTHENTICATION, "API_KEY_INVALID")
		.messages(ErrorCategory.UNSUPPORTED, "Invalid JSON payload received\\. Unknown name",
				"\\bis not enabled for (models/|api version)")
		.build();

	private GeminiErrors() {
	}

}
