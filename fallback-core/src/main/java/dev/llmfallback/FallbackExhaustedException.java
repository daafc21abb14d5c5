package dev.llmfallback;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * No model of the policy could serve the request: every candidate failed, was skipped, or the
 * request ran out of attempts or time. Carries every attempt and the category of the last error.
 */
public class FallbackExhaustedException extends LlmException {

	private final String policy;

	private final boolean deadlineExceeded;

	public FallbackExhaustedException(String policy, ErrorCategory lastCategory, String reason,
			List<Attempt> attempts, @Nullable LlmException lastError, boolean deadlineExceeded) {
		super(LlmException.builder(lastCategory)
			.message(message(policy, reason, attempts))
			.cause(lastError)
			.httpStatus((lastError != null) ? lastError.httpStatus() : null)
			.retryAfter((lastError != null) ? lastError.retryAfter() : null)
			.errorCode((lastError != null) ? lastError.errorCode() : null)
			.provider((lastError != null) ? lastError.provider() : null)
			.model((lastError != null) ? lastError.model() : null)
			.attempts(attempts));
		this.policy = policy;
		this.deadlineExceeded = deadlineExceeded;
	}

	private static String message(String policy, String reason, List<Attempt> attempts) {
		return "No model of policy '" + policy + "' could serve the request: " + reason + "; tried: "
				+ Attempt.describe(attempts);
	}

	/** @return the policy whose chain was walked */
	public String policy() {
		return this.policy;
	}

	/** @return whether the request's deadline passed before a model could answer */
	public boolean deadlineExceeded() {
		return this.deadlineExceeded;
	}

}
