package dev.llmfallback.provider.http;

import java.util.EnumSet;
import java.util.Set;

import dev.llmfallback.ErrorCategory;
import org.jspecify.annotations.Nullable;

import static dev.llmfallback.ErrorCategory.AUTHENTICATION;
import static dev.llmfallback.ErrorCategory.BAD_REQUEST;
import static dev.llmfallback.ErrorCategory.CONTENT_POLICY;
import static dev.llmfallback.ErrorCategory.CONTEXT_WINDOW_EXCEEDED;
import static dev.llmfallback.ErrorCategory.INVALID_RESPONSE;
import static dev.llmfallback.ErrorCategory.NOT_FOUND;
import static dev.llmfallback.ErrorCategory.PERMISSION_DENIED;
import static dev.llmfallback.ErrorCategory.QUOTA_EXCEEDED;
import static dev.llmfallback.ErrorCategory.RATE_LIMIT;
import static dev.llmfallback.ErrorCategory.SERVER_ERROR;
import static dev.llmfallback.ErrorCategory.SERVICE_UNAVAILABLE;
import static dev.llmfallback.ErrorCategory.TIMEOUT;
import static dev.llmfallback.ErrorCategory.UNSUPPORTED;

/**
 * The first step of classification, the same for every wire format: what an HTTP status means when
 * nothing else is known, and which categories an answer with that status may still turn out to be
 * (a 503 is never a bad request; a 400 may be a context-window, content-policy or capability error).
 */
final class StatusRules {

	private static final Set<ErrorCategory> CLIENT_SIDE = EnumSet.of(CONTEXT_WINDOW_EXCEEDED, CONTENT_POLICY,
			QUOTA_EXCEEDED, AUTHENTICATION, PERMISSION_DENIED, NOT_FOUND, RATE_LIMIT, BAD_REQUEST, UNSUPPORTED);

	private static final Set<ErrorCategory> SERVER_SIDE = EnumSet.of(SERVER_ERROR, SERVICE_UNAVAILABLE, TIMEOUT);

	private StatusRules() {
	}

	/**
	 * The category an HTTP status means when nothing else is known.
	 * @param status the status, or {@code null} for an error inside a successful answer
	 * @return the category
	 */
	static ErrorCategory categoryOf(@Nullable Integer status) {
		if (status == null || status < 300) {
			return SERVER_ERROR;
		}
		return switch (status) {
			case 401 -> AUTHENTICATION;
			case 402 -> QUOTA_EXCEEDED;
			case 403 -> PERMISSION_DENIED;
			case 404 -> NOT_FOUND;
			case 408, 504, 524 -> TIMEOUT;
			case 429 -> RATE_LIMIT;
			case 500 -> SERVER_ERROR;
			case 502, 503, 529 -> SERVICE_UNAVAILABLE;
			default -> (status >= 500) ? SERVER_ERROR : (status >= 400) ? BAD_REQUEST : INVALID_RESPONSE;
		};
	}

	/**
	 * The categories an answer with this status may turn out to be. A capability refusal may come
	 * as a 4xx (a 404 from OpenRouter), a 500 or a 501 (servers that never implemented streaming).
	 */
	static Set<ErrorCategory> allowedFor(@Nullable Integer status) {
		if (status == null || status < 300) {
			return EnumSet.complementOf(EnumSet.of(ErrorCategory.CANCELLED));
		}
		return switch (status) {
			case 401 -> EnumSet.of(AUTHENTICATION, PERMISSION_DENIED);
			case 402 -> EnumSet.of(QUOTA_EXCEEDED);
			case 403 -> EnumSet.of(PERMISSION_DENIED, AUTHENTICATION, QUOTA_EXCEEDED, CONTENT_POLICY);
			// OpenRouter answers 404 "No endpoints found that support tool use" for a capability.
			case 404 -> EnumSet.of(NOT_FOUND, UNSUPPORTED);
			case 408 -> EnumSet.of(TIMEOUT);
			case 413 -> EnumSet.of(CONTEXT_WINDOW_EXCEEDED, BAD_REQUEST);
			case 429 -> EnumSet.of(RATE_LIMIT, QUOTA_EXCEEDED);
			case 500 -> EnumSet.of(SERVER_ERROR, SERVICE_UNAVAILABLE, TIMEOUT, CONTEXT_WINDOW_EXCEEDED, UNSUPPORTED);
			case 501 -> EnumSet.of(SERVER_ERROR, UNSUPPORTED);
			case 504, 524 -> EnumSet.of(TIMEOUT, SERVICE_UNAVAILABLE);
			default -> (status >= 500) ? SERVER_SIDE : (status >= 400) ? CLIENT_SIDE : EnumSet.of(INVALID_RESPONSE);
		};
	}

}
