package dev.llmfallback;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

/**
 * One step of a request's walk: a call to a model, or a model passed without a call.
 *
 * @param model the configured model name
 * @param provider the configured provider name
 * @param kind primary, retry or fallback
 * @param outcome {@value #SUCCESS}, an {@link ErrorCategory#id() error category}, or {@value #SKIPPED}
 * @param httpStatus the HTTP status the provider answered with, or {@code null} where there was none
 * @param duration how long the call took ({@link Duration#ZERO} for a skip)
 * @param skipReason why the model was passed without a call, or {@code null} for a call
 */
public record Attempt(String model, String provider, AttemptKind kind, String outcome, @Nullable Integer httpStatus,
		Duration duration, @Nullable SkipReason skipReason) {

	/** The outcome of a call that succeeded. */
	public static final String SUCCESS = "success";

	/** The outcome of a model that was passed without a call. */
	public static final String SKIPPED = "skipped";

	public Attempt {
		Objects.requireNonNull(model, "model");
		Objects.requireNonNull(provider, "provider");
		Objects.requireNonNull(kind, "kind");
		Objects.requireNonNull(outcome, "outcome");
		Objects.requireNonNull(duration, "duration");
	}

	public static Attempt success(String model, String provider, AttemptKind kind, Duration duration) {
		return new Attempt(model, provider, kind, SUCCESS, null, duration, null);
	}

	/**
	 * A failed call.
	 * @param model the configured model name
	 * @param provider the configured provider name
	 * @param kind primary, retry or fallback
	 * @param category the failure's category
	 * @param httpStatus the provider's HTTP status, or {@code null}
	 * @param duration how long the call took
	 * @return the attempt
	 */
	public static Attempt failure(String model, String provider, AttemptKind kind, ErrorCategory category,
			@Nullable Integer httpStatus, Duration duration) {
		return new Attempt(model, provider, kind, category.id(), httpStatus, duration, null);
	}

	/**
	 * A failed call, read from its classified failure.
	 * @param model the configured model name
	 * @param provider the configured provider name
	 * @param kind primary, retry or fallback
	 * @param error the failure
	 * @param duration how long the call took
	 * @return the attempt
	 * @deprecated since 0.1.0, use {@link #failure(String, String, AttemptKind, ErrorCategory, Integer, Duration)},
	 * which keeps {@code Attempt} free of {@link LlmException} (that one refers to attempts)
	 */
	@Deprecated(since = "0.1.0")
	public static Attempt failure(String model, String provider, AttemptKind kind, LlmException error,
			Duration duration) {
		return failure(model, provider, kind, error.category(), error.httpStatus(), duration);
	}

	public static Attempt skipped(String model, String provider, AttemptKind kind, SkipReason reason) {
		return new Attempt(model, provider, kind, SKIPPED, null, Duration.ZERO, Objects.requireNonNull(reason));
	}

	/**
	 * Whether this call succeeded.
	 * @return {@code true} for a successful call
	 */
	public boolean succeeded() {
		return SUCCESS.equals(this.outcome);
	}

	/**
	 * Whether the model was passed without a call.
	 * @return {@code true} for a skip
	 */
	public boolean skipped() {
		return this.skipReason != null;
	}

	/**
	 * The category of the failure, if this call failed.
	 * @return the category, or empty for a success or a skip
	 */
	public Optional<ErrorCategory> category() {
		return (succeeded() || skipped()) ? Optional.empty() : Optional.of(ErrorCategory.fromId(this.outcome));
	}

	/**
	 * The hops of a walk: each model is visited once per walk, so they are the changes of model
	 * along its attempts.
	 * @param attempts a walk's attempts, in order
	 * @return the number of hops
	 */
	public static int hops(List<Attempt> attempts) {
		int hops = 0;
		for (int i = 1; i < attempts.size(); i++) {
			if (!attempts.get(i).model().equals(attempts.get(i - 1).model())) {
				hops++;
			}
		}
		return hops;
	}

	/**
	 * A one-line account of a walk, e.g. {@code gpt-4o rate_limit [429], claude skipped (cooldown)}.
	 * @param attempts a walk's attempts, in order
	 * @return the description
	 */
	public static String describe(List<Attempt> attempts) {
		if (attempts.isEmpty()) {
			return "no model was tried";
		}
		StringBuilder text = new StringBuilder();
		for (Attempt attempt : attempts) {
			if (text.length() > 0) {
				text.append(", ");
			}
			text.append(attempt.model()).append(' ');
			SkipReason skipReason = attempt.skipReason();
			if (skipReason != null) {
				text.append("skipped (").append(skipReason.id()).append(')');
			}
			else {
				text.append(attempt.outcome());
				if (attempt.httpStatus() != null) {
					text.append(" [").append(attempt.httpStatus()).append(']');
				}
			}
		}
		return text.toString();
	}

}
