package dev.llmfallback.web;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import dev.llmfallback.Attempt;
import dev.llmfallback.ErrorCategory;
import dev.llmfallback.FallbackExhaustedException;
import dev.llmfallback.LlmException;
import dev.llmfallback.SkipReason;
import dev.llmfallback.engine.FallbackEngine;
import dev.llmfallback.engine.ModelStatus;

/**
 * The one mapping from a failed request (an exhausted chain, or a request refused before any call)
 * to an HTTP answer, shared by the starter's problem details and every endpoint of a gateway:
 *
 * <table>
 * <caption>status per failure</caption>
 * <tr><th>failure</th><th>status</th></tr>
 * <tr><td>the request's own fault: {@code bad_request}, {@code context_window_exceeded},
 * {@code content_policy}, {@code unsupported}</td><td>400</td></tr>
 * <tr><td>{@code rate_limit}, {@code quota_exceeded}</td><td>429</td></tr>
 * <tr><td>the providers refused the gateway's credentials or model ({@code authentication},
 * {@code permission_denied}, {@code not_found} after a call): the caller's own key was fine</td><td>502</td></tr>
 * <tr><td>the request's deadline passed</td><td>504</td></tr>
 * <tr><td>a model name the gateway does not know ({@code not_found} without an attempt)</td><td>404</td></tr>
 * <tr><td>the rest: {@code service_unavailable}, {@code server_error}, {@code connection},
 * {@code timeout}, {@code invalid_response}, every model cooling</td><td>503</td></tr>
 * </table>
 *
 * <p>When a re-send can succeed, the answer says when: the time until the earliest model of the chain
 * can be tried again (the end of its cooldown, which a provider's own {@code Retry-After} may have
 * set, or the last provider's {@code Retry-After}), at least one second, at most
 * {@code maxRetryAfter}. When no re-send within a minute can succeed (the request's own fault, or
 * every model refused for a lasting reason: quota, credentials, an unknown model), the answer says
 * {@code x-should-retry: false} instead, which the OpenAI and Anthropic SDKs obey.
 */
public final class FallbackErrorMapping {

	/** The least wait advised: an immediate re-send would meet the same providers. */
	static final Duration MIN_RETRY_AFTER = Duration.ofSeconds(1);

	/** Failures that no re-send within a minute can fix. */
	private static final Set<ErrorCategory> LASTING = EnumSet.of(ErrorCategory.QUOTA_EXCEEDED,
			ErrorCategory.AUTHENTICATION, ErrorCategory.PERMISSION_DENIED, ErrorCategory.NOT_FOUND);

	/** The request's own fault: no model will ever serve it as it is. */
	private static final Set<ErrorCategory> OWN_FAULT = EnumSet.of(ErrorCategory.BAD_REQUEST,
			ErrorCategory.CONTEXT_WINDOW_EXCEEDED, ErrorCategory.CONTENT_POLICY, ErrorCategory.UNSUPPORTED);

	private final @Nullable FallbackEngine engine;

	private final Duration maxRetryAfter;

	private final Clock clock;

	/**
	 * @param engine the engine whose models' cooldowns say when to come back, or {@code null} to
	 * go by the failure alone
	 * @param maxRetryAfter the longest wait ever advised
	 * @param clock the wall clock that cooldown ends are compared with
	 */
	public FallbackErrorMapping(@Nullable FallbackEngine engine, Duration maxRetryAfter, Clock clock) {
		if (maxRetryAfter.compareTo(MIN_RETRY_AFTER) < 0) {
			throw new IllegalArgumentException("maxRetryAfter must be at least " + MIN_RETRY_AFTER);
		}
		this.engine = engine;
		this.maxRetryAfter = maxRetryAfter;
		this.clock = clock;
	}

	/**
	 * @param engine the engine whose models' cooldowns say when to come back
	 * @param maxRetryAfter the longest wait ever advised
	 */
	public FallbackErrorMapping(FallbackEngine engine, Duration maxRetryAfter) {
		this(engine, maxRetryAfter, Clock.systemUTC());
	}

	/**
	 * How to answer a failure.
	 * @param failure the failure, usually a {@link FallbackExhaustedException}
	 * @return the status, headers and body parts
	 */
	public FallbackErrorResponse map(LlmException failure) {
		ErrorCategory category = failure.category();
		int status = status(failure);
		boolean shouldRetry = switch (status) {
			case 400, 404 -> false;
			default -> !everyModelLastingRefused(failure);
		};
		Duration retryAfter = shouldRetry ? retryAfter(failure) : null;
		return new FallbackErrorResponse(status, category, failure.getMessage(), failure.attempts(), retryAfter,
				shouldRetry, openAiType(category, status), openAiCode(category, status));
	}

	/**
	 * The HTTP status of a failure, as the table above says.
	 * @param failure the failure
	 * @return the status code
	 */
	public static int status(LlmException failure) {
		if (failure instanceof FallbackExhaustedException exhausted && exhausted.deadlineExceeded()) {
			return 504;
		}
		ErrorCategory category = failure.category();
		if (OWN_FAULT.contains(category)) {
			return 400;
		}
		return switch (category) {
			case RATE_LIMIT, QUOTA_EXCEEDED -> 429;
			case AUTHENTICATION, PERMISSION_DENIED -> 502;
			// No attempt: the caller named a model the gateway does not have. After a call: the
			// provider does not know the configured model, the gateway's fault.
			case NOT_FOUND -> failure.attempts().isEmpty() ? 404 : 502;
			default -> 503;
		};
	}

	private static String openAiType(ErrorCategory category, int status) {
		if (category == ErrorCategory.QUOTA_EXCEEDED) {
			return "insufficient_quota";
		}
		if (category == ErrorCategory.RATE_LIMIT) {
			return "requests";
		}
		return (status < 500) ? "invalid_request_error" : "server_error";
	}

	private static String openAiCode(ErrorCategory category, int status) {
		return switch (category) {
			case CONTEXT_WINDOW_EXCEEDED -> "context_length_exceeded";
			case QUOTA_EXCEEDED -> "insufficient_quota";
			case RATE_LIMIT -> "rate_limit_exceeded";
			case CONTENT_POLICY -> "content_policy_violation";
			case NOT_FOUND -> (status == 404) ? "model_not_found" : category.id();
			default -> category.id();
		};
	}

	/**
	 * Whether every model of the walk was passed or refused for a reason that lasts: each call failed
	 * with a lasting category or the request's own fault, each skip was for the request (context
	 * window, capabilities) or for a cooldown that a lasting failure started.
	 */
	private boolean everyModelLastingRefused(LlmException failure) {
		if (failure.attempts().isEmpty()) {
			return LASTING.contains(failure.category());
		}
		for (Attempt attempt : failure.attempts()) {
			if (attempt.skipped()) {
				if (attempt.skipReason() == SkipReason.CAPACITY) {
					return false; // a deployment's rpm/tpm limit frees up within the minute
				}
				if (attempt.skipReason() == SkipReason.COOLDOWN) {
					ModelStatus status = status(attempt.model());
					if (status == null || status.cooldownReason() == null
							|| !LASTING.contains(status.cooldownReason())) {
						return false;
					}
				}
				continue;
			}
			ErrorCategory category = attempt.category().orElse(null);
			if (category == null || !(LASTING.contains(category) || OWN_FAULT.contains(category))) {
				return false;
			}
		}
		return true;
	}

	/** The time until the earliest model of the walk can be tried again, within the bounds. */
	private Duration retryAfter(LlmException failure) {
		Set<String> models = new LinkedHashSet<>();
		String lastCalled = failure.model();
		for (Attempt attempt : failure.attempts()) {
			models.add(attempt.model());
			if (failure.model() == null && !attempt.skipped()) {
				lastCalled = attempt.model(); // the provider's Retry-After is the last call's
			}
		}
		if (lastCalled != null) {
			models.add(lastCalled);
		}
		Duration earliest = null;
		Instant now = this.clock.instant();
		for (String model : models) {
			Duration until = Duration.ZERO;
			ModelStatus status = status(model);
			if (status != null && status.cooldownUntil() != null && status.cooldownUntil().isAfter(now)) {
				until = Duration.between(now, status.cooldownUntil());
			}
			if (model.equals(lastCalled) && failure.retryAfter() != null
					&& failure.retryAfter().compareTo(until) > 0) {
				until = failure.retryAfter();
			}
			earliest = (earliest == null || until.compareTo(earliest) < 0) ? until : earliest;
		}
		if (earliest == null) {
			earliest = (failure.retryAfter() != null) ? failure.retryAfter() : Duration.ZERO;
		}
		if (earliest.compareTo(MIN_RETRY_AFTER) < 0) {
			return MIN_RETRY_AFTER;
		}
		return (earliest.compareTo(this.maxRetryAfter) > 0) ? this.maxRetryAfter : earliest;
	}

	private @Nullable ModelStatus status(String model) {
		if (this.engine == null) {
			return null;
		}
		try {
			return this.engine.modelStatus(model);
		}
		catch (IllegalArgumentException ex) {
			return null; // not a configured model
		}
	}

}
