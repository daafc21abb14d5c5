package dev.llmfallback.provider.http;

import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

import dev.llmfallback.ErrorCategory;
import dev.llmfallback.LlmException.ClassificationBasis;
import dev.llmfallback.LlmException;
import dev.llmfallback.provider.ClassificationRules;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpHeaders;

import static dev.llmfallback.ErrorCategory.BAD_REQUEST;
import static dev.llmfallback.ErrorCategory.CONTEXT_WINDOW_EXCEEDED;
import static dev.llmfallback.ErrorCategory.PERMISSION_DENIED;
import static dev.llmfallback.ErrorCategory.QUOTA_EXCEEDED;
import static dev.llmfallback.ErrorCategory.RATE_LIMIT;
import static dev.llmfallback.ErrorCategory.SERVER_ERROR;
import static dev.llmfallback.ErrorCategory.SERVICE_UNAVAILABLE;
import static dev.llmfallback.ErrorCategory.UNSUPPORTED;

/**
 * Classifies a provider's error answer into an {@link ErrorCategory}, in the same ordered steps for
 * every wire format; a format adds its own vocabulary ({@link ErrorRules}), tried before the
 * shared one ({@link BuiltInRules}) within each step:
 * <ol>
 * <li>The HTTP status decides the default category and which categories the answer may
 * still turn out to be (a 400 may be a context-window, content-policy, auth or quota error; a
 * 429 may be an exhausted quota; a 503 is never a bad request).</li>
 * <li>The provider's code and type fields, most specific first, refine it (basis
 * {@link ClassificationBasis#CODE}). Catch-all types such as {@code invalid_request_error} or
 * {@code INVALID_ARGUMENT} never decide anything on their own. Wording that refuses a capability
 * (streaming, tools, images) turns a {@code bad_request} code into {@code unsupported}.</li>
 * <li>Else message patterns (basis {@link ClassificationBasis#MESSAGE}).</li>
 * <li>Else the user's {@link ClassificationRules} (basis {@code MESSAGE}).</li>
 * <li>Else the status alone (basis {@link ClassificationBasis#STATUS}: counted as unclassified).</li>
 * </ol>
 * A rate limit whose wording names a daily or monthly window becomes {@code quota_exceeded}: no
 * retry fixes it soon. The wait the provider asked for is read from the headers and the body.
 */
final class ErrorClassifier {

	private final ClassificationRules rules;

	private final Clock clock;

	private final ErrorRules format;

	ErrorClassifier(@Nullable ClassificationRules rules, Clock clock) {
		this(rules, clock, ErrorRules.NONE);
	}

	/**
	 * A classifier that knows a wire format's own rules (Cohere's 498 for blocked content).
	 * @param rules the user's message patterns
	 * @param clock the clock for HTTP dates and reset instants
	 * @param format the format's own codes, wordings and statuses
	 */
	ErrorClassifier(@Nullable ClassificationRules rules, Clock clock, ErrorRules format) {
		this.rules = (rules != null) ? rules : ClassificationRules.none();
		this.clock = Objects.requireNonNull(clock, "clock");
		this.format = Objects.requireNonNull(format, "format");
	}

	/** What a step decided: the category, on what basis, from which code. */
	private record Verdict(ErrorCategory category, ClassificationBasis basis, @Nullable String code) {

		Verdict withCategory(ErrorCategory category) {
			return new Verdict(category, this.basis, this.code);
		}

	}

	/**
	 * Classifies a provider's error.
	 * @param provider the configured provider name
	 * @param error what the provider said
	 * @param headers the response headers, or {@code null}
	 * @return the classified exception (not thrown)
	 */
	LlmException classify(String provider, ProviderError error, @Nullable HttpHeaders headers) {
		Integer status = error.status();
		ErrorCategory byStatus = (status != null && this.format.statuses.containsKey(status))
				? this.format.statuses.get(status) : StatusRules.categoryOf(status);
		Set<ErrorCategory> allowed = StatusRules.allowedFor(status);
		if (!allowed.contains(byStatus)) {
			allowed = EnumSet.copyOf(allowed);
			allowed.add(byStatus);
		}
		String message = error.message();
		Verdict verdict = byCode(error, status, byStatus, allowed);
		Verdict weak = null;
		if (verdict != null && isWeak(verdict.code())) {
			// Google's canonical codes only restate the HTTP status: let the message refine them.
			weak = verdict;
			verdict = null;
		}
		if (verdict == null && message != null) {
			verdict = byMessage(message, allowed);
		}
		if (verdict == null) {
			verdict = weak;
		}
		boolean byUser = false;
		if (verdict == null) {
			ErrorCategory user = this.rules.match(message);
			if (user != null) {
				verdict = new Verdict(user, ClassificationBasis.MESSAGE, null);
				byUser = true;
			}
		}
		if (verdict != null && verdict.basis() == ClassificationBasis.MESSAGE && !error.structured()
				&& verdict.category() == byStatus) {
			// A proxy page's title ("502 Bad Gateway") only restates the status.
			verdict = new Verdict(byStatus, ClassificationBasis.STATUS, verdict.code());
		}
		if (verdict == null) {
			verdict = new Verdict(byStatus,
					(status != null && status >= 400) ? ClassificationBasis.STATUS : ClassificationBasis.BODY, null);
		}
		if (!byUser) {
			// The user's own rule is taken as it is.
			verdict = adjustForWindow(verdict, error, allowed);
		}
		String errorCode = (verdict.code() != null) ? verdict.code() : (error.codes().isEmpty() ? null : error.codes().get(0));
		return LlmException.builder(verdict.category())
			.message(describe(provider, status, errorCode, message))
			.httpStatus(status)
			.retryAfter(retryAfter(verdict.category(), error, headers))
			.errorCode(errorCode)
			.basis(verdict.basis())
			.provider(provider)
			.build();
	}

	/**
	 * The first code the status allows, most specific first; a capability refusal beats a bad_request
	 * or server_error code.
	 */
	private @Nullable Verdict byCode(ProviderError error, @Nullable Integer status, ErrorCategory byStatus,
			Set<ErrorCategory> allowed) {
		for (String code : error.codes()) {
			ErrorCategory candidate = codeCategory(code);
			if (candidate == SERVER_ERROR && byStatus != SERVER_ERROR && status != null && status >= 500) {
				// "type": "server_error" on a 503 says no more than the status does.
				continue;
			}
			if (candidate != null && allowed.contains(candidate)) {
				if ((candidate == BAD_REQUEST || candidate == SERVER_ERROR) && error.message() != null
						&& refusesCapability(error.message())) {
					// llama-server sends "tools param requires --jinja flag" as a 500 of type server_error.
					return new Verdict(UNSUPPORTED, ClassificationBasis.MESSAGE, code);
				}
				return new Verdict(candidate, ClassificationBasis.CODE, code);
			}
		}
		return null;
	}

	private boolean refusesCapability(String message) {
		Pattern own = this.format.messages.get(UNSUPPORTED);
		return own != null && own.matcher(message).find() || BuiltInRules.CAPABILITY.matcher(message).find();
	}

	private @Nullable Verdict byMessage(String message, Set<ErrorCategory> allowed) {
		for (Map.Entry<ErrorCategory, Pattern> entry : this.format.messages.entrySet()) {
			if (allowed.contains(entry.getKey()) && entry.getValue().matcher(message).find()) {
				return new Verdict(entry.getKey(), ClassificationBasis.MESSAGE, null);
			}
		}
		if (allowed.contains(PERMISSION_DENIED) && BuiltInRules.REGION.matcher(message).find()) {
			return new Verdict(PERMISSION_DENIED, ClassificationBasis.MESSAGE, null);
		}
		for (Map.Entry<ErrorCategory, Pattern> entry : BuiltInRules.MESSAGES.entrySet()) {
			if (entry.getKey() == CONTEXT_WINDOW_EXCEEDED && BuiltInRules.OUTPUT_LIMIT.matcher(message).find()) {
				continue;
			}
			if (allowed.contains(entry.getKey()) && entry.getValue().matcher(message).find()) {
				return new Verdict(entry.getKey(), ClassificationBasis.MESSAGE, null);
			}
		}
		return null;
	}

	/**
	 * A rate limit over a day or a month is a quota (it resets too late to wait for); a quota over
	 * minutes is a rate limit.
	 */
	private static Verdict adjustForWindow(Verdict verdict, ProviderError error, Set<ErrorCategory> allowed) {
		String message = error.message();
		String longWindowCode = null;
		for (String code : error.codes()) {
			if (BuiltInRules.LONG_WINDOW.matcher(code).find()) {
				longWindowCode = code;
				break;
			}
		}
		if (verdict.category() == RATE_LIMIT
				&& (longWindowCode != null || message != null && BuiltInRules.LONG_WINDOW.matcher(message).find())) {
			// A daily or monthly limit (a Google quota id, "tokens per day (TPD)") resets too late to wait for.
			return (longWindowCode != null) ? new Verdict(QUOTA_EXCEEDED, ClassificationBasis.CODE, longWindowCode)
					: new Verdict(QUOTA_EXCEEDED, ClassificationBasis.MESSAGE, verdict.code());
		}
		if (verdict.category() == QUOTA_EXCEEDED && verdict.basis() == ClassificationBasis.MESSAGE
				&& allowed.contains(RATE_LIMIT) && BuiltInRules.SHORT_WINDOW.matcher(message).find()
				&& !BuiltInRules.LONG_WINDOW.matcher(message).find()) {
			// "Quota exceeded for ... requests per minute" resets within a minute.
			return verdict.withCategory(RATE_LIMIT);
		}
		return verdict;
	}

	private @Nullable Duration retryAfter(ErrorCategory category, ProviderError error, @Nullable HttpHeaders headers) {
		Duration retryAfter = RetryAfter.explicit(headers, this.clock);
		if (retryAfter == null) {
			retryAfter = error.retryAfter();
		}
		if (retryAfter == null && category == RATE_LIMIT) {
			retryAfter = RetryAfter.reset(headers, this.clock);
		}
		if (retryAfter == null && error.message() != null && (category == RATE_LIMIT || category == SERVICE_UNAVAILABLE)) {
			// "Please try again in 6m0s" (OpenAI, Groq), "Please retry after 60 seconds" (Azure).
			retryAfter = RetryAfter.fromMessage(error.message());
		}
		return retryAfter;
	}

	private boolean isWeak(@Nullable String code) {
		if (code == null) {
			return false;
		}
		String normalized = ErrorRules.normalize(code);
		return BuiltInRules.WEAK_CODES.contains(normalized) || this.format.weakCodes.contains(normalized);
	}

	private @Nullable ErrorCategory codeCategory(String code) {
		String normalized = ErrorRules.normalize(code);
		ErrorCategory own = this.format.codes.get(normalized);
		if (own != null) {
			return own;
		}
		return sharedCodeCategory(normalized);
	}

	private static @Nullable ErrorCategory sharedCodeCategory(String normalized) {
		if (BuiltInRules.NEUTRAL_CODES.contains(normalized)) {
			return null;
		}
		ErrorCategory category = BuiltInRules.CODES.get(normalized);
		if (category != null) {
			return category;
		}
		// Google quota ids: "GenerateRequestsPerMinutePerProjectPerModel-FreeTier".
		if (normalized.contains("perday") || normalized.contains("permonth")) {
			return QUOTA_EXCEEDED;
		}
		if (normalized.contains("perminute") || normalized.contains("persecond")) {
			return RATE_LIMIT;
		}
		return null;
	}

	private static String describe(String provider, @Nullable Integer status, @Nullable String code,
			@Nullable String message) {
		StringBuilder text = new StringBuilder();
		if (provider != null) {
			text.append(provider).append(": ");
		}
		text.append((status != null) ? "HTTP " + status : "error in stream");
		if (code != null) {
			text.append(" (").append(code).append(')');
		}
		text.append(": ").append((message != null && !message.isBlank()) ? message : "(no message)");
		return text.toString();
	}

}
