package dev.llmfallback;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * A classified failure: what provider adapters signal for a failed call, and what the engine
 * signals when a request fails. Unchecked.
 *
 * <p>Messages never contain API keys; adapters build them from the provider's error text.
 */
public class LlmException extends RuntimeException {

	private final ErrorCategory category;

	private final @Nullable Integer httpStatus;

	private final @Nullable Duration retryAfter;

	private final @Nullable String errorCode;

	private final ClassificationBasis basis;

	private final @Nullable String provider;

	private final @Nullable String model;

	private final List<Attempt> attempts;

	protected LlmException(Builder builder) {
		super(builder.message, builder.cause, true, builder.writableStackTrace);
		this.category = builder.category;
		this.httpStatus = builder.httpStatus;
		this.retryAfter = builder.retryAfter;
		this.errorCode = builder.errorCode;
		this.basis = builder.basis;
		this.provider = builder.provider;
		this.model = builder.model;
		this.attempts = List.copyOf(builder.attempts);
	}

	/** @return the message, never {@code null}: without one, the builder gives the category's id */
	@Override
	public String getMessage() {
		return Objects.requireNonNull(super.getMessage());
	}

	public static Builder builder(ErrorCategory category) {
		return new Builder(category);
	}

	/**
	 * A builder holding this exception's values, to derive a changed copy.
	 * @return the builder
	 */
	public Builder toBuilder() {
		Builder builder = new Builder(this.category).message(getMessage())
			.cause(getCause())
			.httpStatus(this.httpStatus)
			.retryAfter(this.retryAfter)
			.errorCode(this.errorCode)
			.basis(this.basis)
			.provider(this.provider)
			.model(this.model);
		builder.attempts = this.attempts;
		return builder;
	}

	/** @return the failure's category */
	public ErrorCategory category() {
		return this.category;
	}

	/** @return the HTTP status of the provider's answer, or {@code null} where there was none */
	public @Nullable Integer httpStatus() {
		return this.httpStatus;
	}

	/** @return how long the provider asked to wait before the next call, or {@code null} */
	public @Nullable Duration retryAfter() {
		return this.retryAfter;
	}

	/** @return the provider's error code or type (e.g. {@code context_length_exceeded}), or {@code null} */
	public @Nullable String errorCode() {
		return this.errorCode;
	}

	/** @return what the classification was based on */
	public ClassificationBasis basis() {
		return this.basis;
	}

	/** @return the configured provider name, or {@code null} where no provider was involved */
	public @Nullable String provider() {
		return this.provider;
	}

	/** @return the configured model name, or {@code null} where no model was involved */
	public @Nullable String model() {
		return this.model;
	}

	/** @return every call and skip of the walk up to this failure (empty for a single call's failure) */
	public List<Attempt> attempts() {
		return this.attempts;
	}

	/** What a classification rests on, strongest first. */
	public enum ClassificationBasis {

		/** The provider's structured error code or type. */
		CODE,

		/** A pattern in the provider's error message. */
		MESSAGE,

		/** Only the HTTP status: no code, type or message rule matched. */
		STATUS,

		/** The transport failed: no HTTP answer at all (refused, reset, timed out). */
		TRANSPORT,

		/** The answer's body itself (a 200 without a usable answer, malformed JSON). */
		BODY,

		/** Raised by the engine or the caller, not by a provider. */
		ENGINE

	}

	/** Builds an {@link LlmException}. */
	public static class Builder {

		private final ErrorCategory category;

		private String message;

		private @Nullable Throwable cause;

		private @Nullable Integer httpStatus;

		private @Nullable Duration retryAfter;

		private @Nullable String errorCode;

		private ClassificationBasis basis = ClassificationBasis.ENGINE;

		private @Nullable String provider;

		private @Nullable String model;

		private List<Attempt> attempts = List.of();

		private boolean writableStackTrace = true;

		protected Builder(ErrorCategory category) {
			this.category = Objects.requireNonNull(category, "category");
			this.message = category.id();
		}

		public Builder message(@Nullable String message) {
			this.message = (message != null) ? message : this.category.id();
			return this;
		}

		public Builder cause(@Nullable Throwable cause) {
			this.cause = cause;
			return this;
		}

		public Builder httpStatus(@Nullable Integer httpStatus) {
			this.httpStatus = httpStatus;
			return this;
		}

		public Builder retryAfter(@Nullable Duration retryAfter) {
			if (retryAfter != null && retryAfter.isNegative()) {
				retryAfter = Duration.ZERO;
			}
			this.retryAfter = retryAfter;
			return this;
		}

		public Builder errorCode(@Nullable String errorCode) {
			this.errorCode = errorCode;
			return this;
		}

		public Builder basis(ClassificationBasis basis) {
			this.basis = Objects.requireNonNull(basis, "basis");
			return this;
		}

		public Builder provider(@Nullable String provider) {
			this.provider = provider;
			return this;
		}

		public Builder model(@Nullable String model) {
			this.model = model;
			return this;
		}

		public Builder attempts(List<Attempt> attempts) {
			this.attempts = List.copyOf(attempts);
			return this;
		}

		/**
		 * Leaves the stack trace out, for an exception that only wraps a cause holding the real one:
		 * capturing a deep reactive stack costs microseconds on every failed attempt.
		 * @return this builder
		 */
		public Builder withoutStackTrace() {
			this.writableStackTrace = false;
			return this;
		}

		public LlmException build() {
			return new LlmException(this);
		}

		protected ErrorCategory category() {
			return this.category;
		}

		protected String message() {
			return this.message;
		}

	}

}
