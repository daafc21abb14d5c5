package dev.llmfallback.provider.http;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import dev.llmfallback.ErrorCategory;

import static dev.llmfallback.ErrorCategory.AUTHENTICATION;
import static dev.llmfallback.ErrorCategory.BAD_REQUEST;
import static dev.llmfallback.ErrorCategory.CONTENT_POLICY;
import static dev.llmfallback.ErrorCategory.CONTEXT_WINDOW_EXCEEDED;
import static dev.llmfallback.ErrorCategory.NOT_FOUND;
import static dev.llmfallback.ErrorCategory.PERMISSION_DENIED;
import static dev.llmfallback.ErrorCategory.QUOTA_EXCEEDED;
import static dev.llmfallback.ErrorCategory.RATE_LIMIT;
import static dev.llmfallback.ErrorCategory.SERVER_ERROR;
import static dev.llmfallback.ErrorCategory.SERVICE_UNAVAILABLE;
import static dev.llmfallback.ErrorCategory.TIMEOUT;
import static dev.llmfallback.ErrorCategory.UNSUPPORTED;

/**
 * The classification tables every wire format shares: the codes, types and wordings that servers
 * of several formats use (OpenAI's codes are the lingua franca of compatible servers and gateways;
 * Google's canonical codes come through Gemini's OpenAI endpoint too). A format's own vocabulary is
 * in its {@code XxxErrors} class ({@link ErrorRules}). Only tables: the order they are read in is
 * {@link ErrorClassifier}'s.
 */
final class BuiltInRules {

	/**
	 * A server saying in words that the model or server lacks a capability the request needs
	 * (streaming, tools, images, thinking): {@code unsupported}, and stronger than a {@code bad_request} code
	 * that comes with it (a format's own wordings are in its {@code XxxErrors}).
	 * Parameters that are merely named wrong or out of range ("'max_tokens' is not supported with this
	 * model. Use 'max_completion_tokens'") stay {@code bad_request}.
	 */
	static final Pattern CAPABILITY = Pattern.compile(String.join("|",
			"does(n't| not) support (tools|tool (calling|use|calls)|function calling|functions|images?|image inputs?|vision"
					+ "|multimodal|thinking|streaming|stream(ed)? (responses|mode|output)|stream)\\b",
			"(\\bstream(s|ing| mode|ed responses|ed output)?|'stream'|`stream`|\"stream\") (is |are )?(not|isn't|aren't) "
					+ "(supported|enabled|implemented|allowed)",
			"(streaming|tool calling|function calling|tools|vision|image input) "
					+ "(is |are )?unsupported", "no support for (streaming|tools|images|vision)"),
			Pattern.CASE_INSENSITIVE);

	/** Codes and types, normalised (lower case, no separators), that name a category. */
	static final Map<String, ErrorCategory> CODES = new LinkedHashMap<>();

	/** Codes that say nothing on their own: every kind of error carries them. */
	static final Set<String> NEUTRAL_CODES = Set.of("invalidrequesterror", "invalidrequest", "invalidargument",
			"failedprecondition", "badrequest", "badrequesterror", "error", "requesttoolarge", "resourceexhausted",
			"apierror", "unknown", "outofrange", "aborted", "cancelled");

	/** Codes that mirror an HTTP status (Google's canonical codes): weaker than a message rule. */
	static final Set<String> WEAK_CODES = Set.of("unauthenticated", "permissiondenied", "notfound", "unavailable",
			"internal", "deadlineexceeded");

	static {
		codes(CONTEXT_WINDOW_EXCEEDED, "context_length_exceeded", "context_window_exceeded",
				"model_context_window_exceeded", "token_limit_exceeded", "prompt_too_long", "input_too_long",
				"exceed_context_size_error", "context_length_error", "input_limit_exceeded_error");
		codes(CONTENT_POLICY, "content_filter", "content_policy_violation",
				"content_policy", "content_filtered", "safety", "prohibited_content", "blocklist", "moderation_blocked",
				"jailbreak", "invalid_prompt", "flagged");
		codes(QUOTA_EXCEEDED, "insufficient_quota", "billing_hard_limit_reached", "quota_exceeded",
				"payment_required", "insufficient_balance", "insufficient_credits", "billing_not_active",
				"credits_exhausted", "tokens_quota_exceeded", "token_quota_reached", "spend_cap_reached",
				"spending_limit_reached", "budget_exceeded");
		codes(RATE_LIMIT, "rate_limit_exceeded", "rate_limit", "rate_limited", "too_many_requests",
				"throttled", "throttling_exception", "throttling_error", "requests", "tokens",
				"concurrency_limit_exceeded");
		codes(AUTHENTICATION, "invalid_api_key", "unauthenticated",
				"invalid_authentication", "unauthorized", "api_key_expired", "missing_api_key", "invalid_token",
				"incorrect_api_key", "access_token_expired", "authentication_failed");
		codes(PERMISSION_DENIED, "permission_denied", "forbidden", "access_denied",
				"unsupported_country_region_territory", "model_not_allowed", "access_terminated");
		codes(NOT_FOUND, "model_not_found", "not_found", "unknown_model",
				"model_not_available");
		codes(SERVICE_UNAVAILABLE, "overloaded", "service_unavailable", "unavailable",
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
	static final Map<ErrorCategory, Pattern> MESSAGES = new LinkedHashMap<>();

	static {
		MESSAGES.put(UNSUPPORTED, CAPABILITY);
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
				"no such (model|deployment)", "unknown model", "(is )?not a valid model( id)?", "invalid model( id| name)?\\b"),
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
	static final Pattern REGION = Pattern.compile(
			"unsupported (country|region|location)|(country|region|territory|location) (is )?not supported|not available in your (country|region)",
			Pattern.CASE_INSENSITIVE);

	/** Wording about the answer's length: "too many tokens: max tokens must be <= 4096" is no context overflow. */
	static final Pattern OUTPUT_LIMIT = Pattern.compile(
			"max(imum)?[ _]?(output[ _]?)?tokens:? (must|is too large|should|cannot)|maximum output|output tokens|completion tokens",
			Pattern.CASE_INSENSITIVE);

	/** A rate limit measured over a day or a month: no retry helps soon. */
	static final Pattern LONG_WINDOW = Pattern.compile(
			"per day|per month|/ ?(day|month)\\b|daily|monthly|\\b(rpd|tpd)\\b|perday|permonth", Pattern.CASE_INSENSITIVE);

	/** A limit measured over minutes or seconds: it resets soon, so it is a rate limit. */
	static final Pattern SHORT_WINDOW = Pattern.compile(
			"per min|per minute|per second|\\b(rpm|tpm|rps)\\b|perminute|persecond", Pattern.CASE_INSENSITIVE);

	private BuiltInRules() {
	}

	private static void codes(ErrorCategory category, String... codes) {
		for (String code : codes) {
			CODES.put(ErrorRules.normalize(code), category);
		}
	}

}
