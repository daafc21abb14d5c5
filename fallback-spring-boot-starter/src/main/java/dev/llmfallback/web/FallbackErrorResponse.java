package dev.llmfallback.web;

import java.net.URI;
import java.time.Duration;
import java.util.List;

import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;

import dev.llmfallback.Attempt;
import dev.llmfallback.ErrorCategory;

/**
 * How one failed request is answered over HTTP, as {@link FallbackErrorMapping} decided it: the
 * status, the headers that tell a client whether and when to come back, and the body's parts for a
 * problem detail or OpenAI's error envelope. Holds no key: the message is the failure's own, which
 * never contains one.
 *
 * @param status the HTTP status
 * @param category the failure's category, sent as {@value #CATEGORY} and in the body
 * @param message what went wrong, naming the models tried
 * @param attempts every call and skip of the walk
 * @param retryAfter how long to wait before a re-send can succeed, or {@code null} where none can
 * soon (then {@link #shouldRetry()} is {@code false})
 * @param shouldRetry whether a re-send within a minute can succeed
 * @param openAiType the error {@code type} of OpenAI's envelope
 * @param openAiCode the error {@code code} of OpenAI's envelope: OpenAI's own code where it has one
 * ({@code context_length_exceeded}, {@code insufficient_quota}, ...), else the category
 */
public record FallbackErrorResponse(int status, ErrorCategory category, String message, List<Attempt> attempts,
		@Nullable Duration retryAfter, boolean shouldRetry, String openAiType, String openAiCode) {

	/** Header naming the failure's category, e.g. {@code rate_limit}. */
	public static final String CATEGORY = "x-fallback-category";

	/** Header that the OpenAI and Anthropic SDKs obey: {@code false} stops their retries. */
	public static final String SHOULD_RETRY = "x-should-retry";

	/** The wait in milliseconds, read before {@code Retry-After} by the OpenAI and Anthropic SDKs. */
	public static final String RETRY_AFTER_MS = "retry-after-ms";

	/** Where the problem types are described; the category is appended. */
	public static final String PROBLEM_TYPE_BASE = "https://llmfallback.dev/problems/";

	/** @return the status as Spring's enum */
	public HttpStatus httpStatus() {
		return HttpStatus.valueOf(this.status);
	}

	/**
	 * {@value #CATEGORY}; where a re-send can succeed, {@code Retry-After} (whole seconds, rounded
	 * up) and {@value #RETRY_AFTER_MS}; where it cannot, {@value #SHOULD_RETRY}{@code : false}.
	 * @return the headers to send with the answer
	 */
	public HttpHeaders headers() {
		HttpHeaders headers = new HttpHeaders();
		writeHeaders(headers);
		return headers;
	}

	/**
	 * Sets this answer's headers on a response's headers.
	 * @param headers the headers to write to
	 */
	public void writeHeaders(HttpHeaders headers) {
		headers.set(CATEGORY, this.category.id());
		if (!this.shouldRetry) {
			headers.set(SHOULD_RETRY, "false");
		}
		if (this.retryAfter != null) {
			long millis = Math.max(1, (this.retryAfter.toNanos() + 999_999) / 1_000_000);
			headers.set(HttpHeaders.RETRY_AFTER, Long.toString((millis + 999) / 1000));
			headers.set(RETRY_AFTER_MS, Long.toString(millis));
		}
	}

	/**
	 * An RFC 9457 problem detail: {@code type} per category, {@code title}, {@code detail}, and the
	 * properties {@code category} and {@code attempts}.
	 * @return the problem detail
	 */
	public ProblemDetail problemDetail() {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(httpStatus(), this.message);
		problem.setType(URI.create(PROBLEM_TYPE_BASE + this.category.id()));
		problem.setTitle(this.category.id().replace('_', ' '));
		problem.setProperty("category", this.category.id());
		problem.setProperty("attempts", this.attempts);
		return problem;
	}

}
