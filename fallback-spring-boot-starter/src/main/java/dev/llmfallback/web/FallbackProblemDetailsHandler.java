package dev.llmfallback.web;

import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;

import dev.llmfallback.LlmException;

/**
 * Answers a {@link LlmException} (a {@link dev.llmfallback.FallbackExhaustedException} among them)
 * that reaches an application's own controller with an RFC 9457 problem detail: status and headers
 * from {@link FallbackErrorMapping}, and the properties {@code category} and {@code attempts}.
 * Built on spring-web's annotations only, so the same handler serves Spring MVC and WebFlux. A
 * controller's own {@code @ExceptionHandler} for these exceptions still wins.
 */
@ControllerAdvice
public class FallbackProblemDetailsHandler {

	private final FallbackErrorMapping mapping;

	public FallbackProblemDetailsHandler(FallbackErrorMapping mapping) {
		this.mapping = mapping;
	}

	/**
	 * @param failure the failure that reached the controller
	 * @return the problem detail with the mapped status and headers
	 */
	@ExceptionHandler(LlmException.class)
	public ResponseEntity<ProblemDetail> handle(LlmException failure) {
		FallbackErrorResponse answer = this.mapping.map(failure);
		return ResponseEntity.status(answer.status())
			.headers(answer.headers())
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.body(answer.problemDetail());
	}

}
