package dev.llmfallback.provider.http;

import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

import dev.llmfallback.ErrorCategory;
import dev.llmfallback.LlmException;
import dev.llmfallback.LlmException.ClassificationBasis;
import dev.llmfallback.provider.ClassificationRules;

import org.springframework.http.HttpHeaders;

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

/**
 * Classifies a provider's error answer into an {@link ErrorCategory}, the same way for every wire
 * protocol:
 * <ol>
 * <li>The HTTP status decides the default category and which categories the answer may
 * still turn out to be (a 400 may be a context-window, content-policy, auth or quota error; a
 * 429 may be an exhausted quota; a 503 is never a bad request).</li>
 * <li>The provider's code and type fields, most specific first, refine it (basis
 * {@link ClassificationBasis#CODE}). Catch-all types such as {@code invalid_request_error} or
 * {@code INVALID_ARGUMENT} never decide anything on their own.</li>
 * <li>Else built-in message patterns (basis {@link ClassificationBasis#MESSAGE}).</li>
 * <li>Else the user's {@link ClassificationRules} (basis {@code MESSAGE}).</li>
 * <li>Else the status alone (basis {@link ClassificationBasis#STATUS}: counted as unclassified).</li>
 * </ol>
 * A rate limit whose wording names a daily or monthly window becomes {@code quota_exceeded}: no
 * retry fixes it soon. The wait the provider asked for is read from the headers and the body.
 */
public final class ErrorClassifier {

	private static final Set<ErrorCategory> CLIENT_SIDE = EnumSet.of(CONTEXT_WINDOW_EXCEEDED, CONTENT_POLICY,
			QUOTA_EXCEEDED, AUTHENTICATION, PERMISSION_DENIED, NOT_FOUND, RATE_LIMIT, BAD_REQUEST);

	private static final Set<ErrorCategory> SERVER_SIDE = EnumSet.of(SERVER_ERROR, SERVICE_UNAVAILABLE, TIMEOUT);

	/** Codes and types, normalised (lower case, no separators), that name a category. */
	private static final Map<String, ErrorCategory> CODES = new LinkedHashMap<>();

	/** Codes that say nothing on their own: every kind of error carries them. */
	private static final Set<String> NEUTRAL_CODES = Set.of("invalidrequesterror", "invalidrequest", "invalidargument",
			"failedprecondition", "badrequest", "badrequesterror", "error", "requesttoolarge", "resourceexhausted",
			"apierror", "unknown", "outofrange", "aborted", "cancelled");

	/** Codes that mirror an HTTP status (Google's canonical codes): weaker than a message rule. */
	private static final Set<String> WEAK_CODES = Set.of("unauthenticated", "permissiondenied", "notfound", "unavailable",
			"internal", "deadlineexceeded");

	static {
		codes(CONTEXT_WINDOW_EXCEEDED, "context_length_exceeded", "context_window_exceeded",
				"model_context_window_exceeded", "token_limit_exceeded", "prompt_too_long", "input_too_long",
				"exceed_context_size_error", "context_length_error", "input_limit_exceeded_error");
		codes(CONTENT_POLICY, "content_filter", "content_policy_violation", "ResponsibleAIPolicyViolation",
				"content_policy", "content_filtered", "safety", "prohibited_content", "blocklist", "moderation_blocked",
				"jailbreak", "invalid_prompt", "flagged");
		codes(QUOTA_EXCEEDED, "insufficient_quota", "billing_error", "billing_hard_limit_reached", "quota_exceeded",
				"payment_required", "insufficient_balance", "insufficient_credits", "billing_not_active",
				"credits_exhausted", "tokens_quota_exceeded", "token_quota_reached", "spend_cap_reached",
				"spending_limit_reached", "budget_exceeded");
		codes(RATE_LIMIT, "rate_limit_exceeded", "rate_limit_error", "rate_limit", "rate_limited", "too_many_requests",
				"throttled", "throttling_exception", "throttling_error", "requests", "tokens",
				"concurrency_limit_exceeded");
		codes(AUTHENTICATION, "invalid_api_key", "authentication_error", "unauthenticated", "api_key_invalid",
				"invalid_authentication", "unauthorized", "api_key_expired", "missing_api_key", "invalid_token",
				"incorrect_api_key", "access_token_expired", "authentication_failed");
		codes(PERMISSION_DENIED, "permission_error", "permission_denied", "forbidden", "access_denied",
				"unsupported_country_region_territory", "model_not_allowed", "access_terminated");
		codes(NOT_FOUND, "not_found_error", "model_not_found", "DeploymentNotFound", "not_found", "unknown_model",
				"model_not_available", "deployment_not_found");
		codes(SERVICE_UNAVAILABLE, "overloaded_error", "overloaded", "service_unavailable", "unavailable",
				"engine_overloaded", "server_overloaded", "model_overloaded", "unavailable_error",
				"service_unavailable_error");
		codes(SERVER_ERROR, "server_error", "internal", "internal_error", "internal_server_error", "api_error_internal");
		codes(TIMEOUT, "timeout_error", "deadline_exceeded", "timeout", "request_timeout", "gateway_timeout");
		codes(BAD_REQUEST, "unsupported_parameter", "unsupported_value", "invalid_value", "unknown_parameter",
				"missing_required_parameter", "invalid_type", "integer_below_min_value", "integer_above_max_value",
				"decimal_below_min_value", "decimal_above_max_value", "string_above_max_length", "empty_array",
				"array_above_max_length", "invalid_json", "unknown_field", "invalid_request_body");
	}

	/** Built-in message patterns, tried in this order. */
	private static final Map<ErrorCategory, Pattern> MESSAGES = new LinkedHashMap<>();

	static {
		MESSAGES.put(CONTEXT_WINDOW_EXCEEDED, Pattern.compile(String.join("|",
				"context[ _-]?(length|window|limit|size)[ _-]?(exceeded|is exceeded|overflow)",
				"maximum context (length|limit|window)", "(exceed|exceeds|exceeded|exceeding|over) (the )?(model'?s? )?"
						+ "(maximum |max )?context( length| window| limit| size)?",
				"context window (of|is|limit)", "prompt (is )?too long", "input (is )?too long",
				"(input|prompt)( token count| tokens?| length)[^.]{0,80}(exceed|too (long|large|many))",
				"too many (input |prompt )?tokens", "(longer|larger) than the (model'?s? )?(maximum )?context",
				"too large for (the )?model", "reduce the length of (the )?(messages|prompt|input)",
				"maximum number of tokens allowed", "exceeds? the available context", "context length (is|of) \\d+",
				"length of (all )?(the )?messages is too long", "input length and `?max_tokens`? exceed",
				"requested \\d+ tokens?[^.]{0,40}(context|maximum)", "exceeds (the )?token limit",
				"maximum (prompt|input) length (is|of)", "`?inputs?`? tokens \\+ `?max_new_tokens`? must be",
				"size limit exceeded by \\d+ tokens"),
				Pattern.CASE_INSENSITIVE));
		MESSAGES.put(CONTENT_POLICY, Pattern.compile(String.join("|", "content[ _-]?(management )?polic",
				"content[ _-]?filter", "safety (system|filter|settings|polic)", "responsible ?ai",
				"(violat|against)\\w* (of )?(our|the)? ?(usage|content|safety|acceptable use) (polic|guideline)",
				"blocked (input|output|prompt)\\b",
				"(prompt|request|input|response|output|content|message)s? (was|were|has been|have been|is) "
						+ "(blocked|filtered|flagged|rejected)(?! by (a|the) (proxy|firewall))",
				"flagged (as|for|by)", "prohibited content"), Pattern.CASE_INSENSITIVE));
		MESSAGES.put(QUOTA_EXCEEDED, Pattern.compile(String.join("|", "insufficient[_ ]quota",
				"exceeded (your|the) (current )?quota", "quota (has been |was )?(exceeded|exhausted|reached)",
				"out of (quota|credits?)", "credit balance", "(insufficient|not enough|no) (account )?(balance|credits?|funds)",
				"billing (details|hard limit|is not active|not active|account)", "payment required",
				"usage limits?( reached|.{0,20}regain access)", "reached your (specified |monthly )?(api )?usage limit",
				"spending limit", "budget (has been |was )?(exceeded|reached)", "exceeded your monthly"),
				Pattern.CASE_INSENSITIVE));
		MESSAGES.put(NOT_FOUND, Pattern.compile(String.join("|",
				"(model|deployment|resource|endpoint)s?\\b[^\n]{0,100}?\\b(does not exist|doesn't exist|not found|is not found|was not found|could not be found|is not supported for)",
				"no such (model|deployment)", "unknown model", "(is )?not a valid model( id)?", "invalid model( id| name)?\\b",
				"deploymentnotfound", "try pulling it first"),
				Pattern.CASE_INSENSITIVE));
		MESSAGES.put(AUTHENTICATION, Pattern.compile(String.join("|",
				"(invalid|incorrect|bad|wrong|expired|revoked|malformed)( (subscription|secret|api|access|auth|bearer|session))?[ _-]?(x-)?(api[ _-]?)?key\\b(?!\\s*['\"`])",
				"missing (subscription |secret |access |auth |bearer )?(x-)?api[ _-]?key",
				"(didn't|did not|must) provide (an|your) api[ _-]?key", "api[ _-]?key (is )?missing",
				"authorization header (is )?(missing|required)", "missing authorization header",
				"header of type authorization was missing", "credentials were not provided", "no auth credentials",
				"unregistered callers",
				"(invalid|incorrect|expired|revoked|malformed|missing)( (api|access|auth|bearer|session|id))?[ _-]?token\\b",
				"api[ _-]?key (is |has |was )?(been )?(not valid|invalid|missing|required|expired|revoked|not found|not provided|was not provided)",
				"no api[ _-]?key", "(invalid|missing|no) (bearer|authorization|auth)", "unauthori[sz]ed",
				"authentication (failed|required|error|credentials)", "could not validate credentials",
				"not authenticated", "invalid (credentials|x-api-key)"), Pattern.CASE_INSENSITIVE));
		MESSAGES.put(PERMISSION_DENIED, Pattern.compile(String.join("|", "permission", "not allowed to",
				"access (is )?(denied|forbidden)", "forbidden", "(not|isn't) authori[sz]ed to", "(does|do) not have access",
				"unsupported (country|region|location)", "(country|region|territory|location) (is )?not supported",
				"not available in your (country|region)", "disabled for this (organization|project|account)",
				"(organization|account|project|api key|key) (has been|is|was) (disabled|suspended|deactivated|banned|blocked)"),
				Pattern.CASE_INSENSITIVE));
		MESSAGES.put(RATE_LIMIT, Pattern.compile(String.join("|", "rate[\\s_-]*limit", "too many requests",
				"throttl", "(requests|tokens) per (min|minute|second|sec)\\b", "\\b(rpm|tpm)\\b",
				"concurren(cy|t requests?) limit", "too many concurrent", "slow down", "resource (has been )?exhausted",
				"per[ -](min|minute|second)\\b"),
				Pattern.CASE_INSENSITIVE));
		MESSAGES.put(TIMEOUT, Pattern.compile(String.join("|", "timed? ?out", "time-out", "deadline (exceeded|expired)",
				"timeout"), Pattern.CASE_INSENSITIVE));
		MESSAGES.put(SERVICE_UNAVAILABLE, Pattern.compile(String.join("|", "overloaded", "temporarily unavailable",
				"service unavailable", "(at|over|out of|no) capacity", "bad gateway", "high demand", "server (is )?busy",
				"loading model", "model is (currently )?loading",
				"currently unavailable", "unavailable"), Pattern.CASE_INSENSITIVE));
		MESSAGES.put(SERVER_ERROR, Pattern.compile(String.join("|", "internal (server )?error", "unexpected error",
				"server (had an )?error", "something went wrong"), Pattern.CASE_INSENSITIVE));
	}

	/**
	 * A caller's country or region is refused: more specific than any billing wording that comes with
	 * it ("User location is not supported for the API use without a billing account linked").
	 */
	private static final Pattern REGION = Pattern.compile(
			"unsupported (country|region|location)|(country|region|territory|location) (is )?not supported|not available in your (country|region)",
			Pattern.CASE_INSENSITIVE);

	/** Wording about the answer's length: "too many tokens: max tokens must be <= 4096" is no context overflow. */
	private static final Pattern OUTPUT_LIMIT = Pattern.compile(
			"max(imum)?[ _]?(output[ _]?)?tokens:? (must|is too large|should|cannot)|maximum output|output tokens|completion tokens",
			Pattern.CASE_INSENSITIVE);

	/** A rate limit measured over a day or a month: no retry helps soon. */
	private static final Pattern LONG_WINDOW = Pattern.compile(
			"per day|per month|/ ?(day|month)\\b|daily|monthly|\\b(rpd|tpd)\\b|perday|permonth", Pattern.CASE_INSENSITIVE);

	/** A limit measured over minutes or seconds: it resets soon, so it is a rate limit. */
	private static final Pattern SHORT_WINDOW = Pattern.compile(
			"per min|per minute|per second|\\b(rpm|tpm|rps)\\b|perminute|persecond", Pattern.CASE_INSENSITIVE);

	private final ClassificationRules rules;

	private final Clock clock;

	private final Map<Integer, ErrorCategory> statuses;

	public ErrorClassifier(ClassificationRules rules, Clock clock) {
		this(rules, clock, Map.of());
	}

	/**
	 * A classifier that knows a provider's own statuses (Cohere's 498 for blocked content).
	 * @param rules the user's message patterns
	 * @param clock the clock for HTTP dates and reset instants
	 * @param statuses non-standard statuses of the provider and what they mean
	 */
	public ErrorClassifier(ClassificationRules rules, Clock clock, Map<Integer, ErrorCategory> statuses) {
		this.rules = (rules != null) ? rules : ClassificationRules.none();
		this.clock = Objects.requireNonNull(clock, "clock");
		this.statuses = Map.copyOf(statuses);
	}

	private static void codes(ErrorCategory category, String... codes) {
		for (String code : codes) {
			CODES.put(normalize(code), category);
		}
	}

	static String normalize(String code) {
		return code.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
	}

	/**
	 * Classifies a provider's error.
	 * @param provider the configured provider name
	 * @param error what the provider said
	 * @param headers the response headers, or {@code null}
	 * @return the classified exception (not thrown)
	 */
	public LlmException classify(String provider, ProviderError error, HttpHeaders headers) {
		Integer status = error.status();
		ErrorCategory byStatus = (status != null && this.statuses.containsKey(status)) ? this.statuses.get(status)
				: categoryOf(status);
		Set<ErrorCategory> allowed = allowedFor(status);
		if (!allowed.contains(byStatus)) {
			allowed = EnumSet.copyOf(allowed);
			allowed.add(byStatus);
		}
		ErrorCategory category = null;
		ClassificationBasis basis = null;
		String matchedCode = null;
		for (String code : error.codes()) {
			ErrorCategory candidate = codeCategory(code);
			if (candidate == SERVER_ERROR && byStatus != SERVER_ERROR && status != null && status >= 500) {
				// "type": "server_error" on a 503 says no more than the status does.
				continue;
			}
			if (candidate != null && allowed.contains(candidate)) {
				category = candidate;
				basis = ClassificationBasis.CODE;
				matchedCode = code;
				break;
			}
		}
		String message = error.message();
		ErrorCategory weak = null;
		String weakCode = null;
		if (category != null && WEAK_CODES.contains(normalize(matchedCode))) {
			// Google's canonical codes only restate the HTTP status: let the message refine them.
			weak = category;
			weakCode = matchedCode;
			category = null;
			matchedCode = null;
		}
		if (category == null && message != null && allowed.contains(PERMISSION_DENIED)
				&& REGION.matcher(message).find()) {
			category = PERMISSION_DENIED;
			basis = ClassificationBasis.MESSAGE;
		}
		if (category == null && message != null) {
			for (Map.Entry<ErrorCategory, Pattern> entry : MESSAGES.entrySet()) {
				if (entry.getKey() == CONTEXT_WINDOW_EXCEEDED && OUTPUT_LIMIT.matcher(message).find()) {
					continue;
				}
				if (allowed.contains(entry.getKey()) && entry.getValue().matcher(message).find()) {
					category = entry.getKey();
					basis = ClassificationBasis.MESSAGE;
					break;
				}
			}
		}
		if (category == null && weak != null) {
			category = weak;
			basis = ClassificationBasis.CODE;
			matchedCode = weakCode;
		}
		boolean byUser = false;
		if (category == null) {
			ErrorCategory user = this.rules.match(message);
			if (user != null) {
				category = user;
				basis = ClassificationBasis.MESSAGE;
				byUser = true;
			}
		}
		if (category != null && basis == ClassificationBasis.MESSAGE && !error.structured() && category == byStatus) {
			// A proxy page's title ("502 Bad Gateway") only restates the status.
			basis = ClassificationBasis.STATUS;
		}
		if (category == null) {
			category = byStatus;
			basis = (status != null && status >= 400) ? ClassificationBasis.STATUS : ClassificationBasis.BODY;
		}
		String longWindowCode = error.codes().stream().filter((code) -> LONG_WINDOW.matcher(code).find()).findFirst().orElse(null);
		if (byUser) {
			// The user's own rule is taken as it is.
		}
		else if (category == RATE_LIMIT && (longWindowCode != null || message != null && LONG_WINDOW.matcher(message).find())) {
			// A daily or monthly limit (a Google quota id, "tokens per day (TPD)") resets too late to wait for.
			category = QUOTA_EXCEEDED;
			basis = (longWindowCode != null) ? ClassificationBasis.CODE : ClassificationBasis.MESSAGE;
			matchedCode = (longWindowCode != null) ? longWindowCode : matchedCode;
		}
		else if (category == QUOTA_EXCEEDED && basis == ClassificationBasis.MESSAGE && allowed.contains(RATE_LIMIT)
				&& SHORT_WINDOW.matcher(message).find() && !LONG_WINDOW.matcher(message).find()) {
			// "Quota exceeded for ... requests per minute" resets within a minute.
			category = RATE_LIMIT;
		}
		Duration retryAfter = RetryAfter.explicit(headers, this.clock);
		if (retryAfter == null) {
			retryAfter = error.retryAfter();
		}
		if (retryAfter == null && category == RATE_LIMIT) {
			retryAfter = RetryAfter.reset(headers, this.clock);
		}
		if (retryAfter == null && message != null && (category == RATE_LIMIT || category == SERVICE_UNAVAILABLE)) {
			// "Please try again in 6m0s" (OpenAI, Groq), "Please retry after 60 seconds" (Azure).
			retryAfter = RetryAfter.fromMessage(message);
		}
		String errorCode = (matchedCode != null) ? matchedCode : (error.codes().isEmpty() ? null : error.codes().get(0));
		return LlmException.builder(category)
			.message(describe(provider, status, errorCode, message))
			.httpStatus(status)
			.retryAfter(retryAfter)
			.errorCode(errorCode)
			.basis(basis)
			.provider(provider)
			.build();
	}

	private static ErrorCategory codeCategory(String code) {
		String normalized = normalize(code);
		if (NEUTRAL_CODES.contains(normalized)) {
			return null;
		}
		ErrorCategory category = CODES.get(normalized);
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

	private static String describe(String provider, Integer status, String code, String message) {
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

	/**
	 * The category an HTTP status means when nothing else is known.
	 * @param status the status, or {@code null} for an error inside a successful answer
	 * @return the category
	 */
	static ErrorCategory categoryOf(Integer status) {
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
	 * The categories an answer with this status may turn out to be.
	 */
	private static Set<ErrorCategory> allowedFor(Integer status) {
		if (status == null || status < 300) {
			return EnumSet.complementOf(EnumSet.of(ErrorCategory.CANCELLED));
		}
		return switch (status) {
			case 401 -> EnumSet.of(AUTHENTICATION, PERMISSION_DENIED);
			case 402 -> EnumSet.of(QUOTA_EXCEEDED);
			case 403 -> EnumSet.of(PERMISSION_DENIED, AUTHENTICATION, QUOTA_EXCEEDED, CONTENT_POLICY);
			case 404 -> EnumSet.of(NOT_FOUND);
			case 408 -> EnumSet.of(TIMEOUT);
			case 413 -> EnumSet.of(CONTEXT_WINDOW_EXCEEDED, BAD_REQUEST);
			case 429 -> EnumSet.of(RATE_LIMIT, QUOTA_EXCEEDED);
			case 500 -> EnumSet.of(SERVER_ERROR, SERVICE_UNAVAILABLE, TIMEOUT, CONTEXT_WINDOW_EXCEEDED);
			case 504, 524 -> EnumSet.of(TIMEOUT, SERVICE_UNAVAILABLE);
			default -> (status >= 500) ? SERVER_SIDE : (status >= 400) ? CLIENT_SIDE : EnumSet.of(INVALID_RESPONSE);
		};
	}

	/**
	 * The categories a list of codes would name, for tests and documentation.
	 * @param codes the codes
	 * @return the category of the first code that names one, or {@code null}
	 */
	static ErrorCategory firstCodeCategory(List<String> codes) {
		for (String code : codes) {
			ErrorCategory category = codeCategory(code);
			if (category != null) {
				return category;
			}
		}
		return null;
	}

}
