package dev.llmfallback.sample;

import java.net.URI;
import java.util.List;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;

import dev.llmfallback.Attempt;
import dev.llmfallback.ErrorCategory;
import dev.llmfallback.FallbackExhaustedException;
import dev.llmfallback.LlmException;

/** How a failed chat is reported over HTTP. */
final class ChatErrors {

	private ChatErrors() {
	}

	/** 400 for the request's own fault, 504 when the deadline passed, else 503. */
	static HttpStatus status(LlmException failure) {
		if (failure.category() == ErrorCategory.BAD_REQUEST) {
			return HttpStatus.BAD_REQUEST;
		}
		if (failure instanceof FallbackExhaustedException exhausted && exhausted.deadlineExceeded()) {
			return HttpStatus.GATEWAY_TIMEOUT;
		}
		return HttpStatus.SERVICE_UNAVAILABLE;
	}

	/** An RFC 9457 problem detail with the failure's {@code category} and {@code attempts}. */
	static ProblemDetail problem(LlmException failure) {
		return problem(status(failure), failure.category(), failure.getMessage(), failure.attempts());
	}

	static ProblemDetail problem(HttpStatus status, ErrorCategory category, String detail, List<Attempt> attempts) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
		problem.setType(URI.create("https://llmfallback.dev/problems/" + category.id()));
		problem.setTitle(category.id().replace('_', ' '));
		problem.setProperty("category", category.id());
		problem.setProperty("attempts", attempts);
		return problem;
	}

	static LlmException badRequest(String message) {
		return LlmException.builder(ErrorCategory.BAD_REQUEST).message(message).build();
	}

}
