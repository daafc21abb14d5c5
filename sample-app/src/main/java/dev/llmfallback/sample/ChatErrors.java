package dev.llmfallback.sample;

import java.util.List;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.codec.HttpMessageWriter;
import org.springframework.http.codec.ServerCodecConfigurer;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.springframework.web.reactive.result.view.ViewResolver;
import org.springframework.web.server.ContentTooLargeException;
import org.springframework.web.server.MethodNotAllowedException;
import org.springframework.web.server.NotAcceptableStatusException;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.ServerWebInputException;
import org.springframework.web.server.UnsupportedMediaTypeStatusException;
import org.springframework.web.server.WebExceptionHandler;
import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;
import tools.jackson.core.exc.InputCoercionException;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.exc.MismatchedInputException;

import dev.llmfallback.ErrorCategory;
import dev.llmfallback.LlmException;
import dev.llmfallback.sample.openai.OpenAiErrorEnvelope;
import dev.llmfallback.web.FallbackErrorMapping;
import dev.llmfallback.web.FallbackErrorResponse;

/**
 * The one place where failures become HTTP answers, per API style: RFC 9457 problem details (with
 * {@code category} and {@code attempts}) under {@code /chat}, OpenAI's error envelope under
 * {@code /v1}; status and headers from the starter's {@link FallbackErrorMapping}, the same for both. As a {@link WebExceptionHandler} ordered before Boot's error handler it sees every
 * failure of those paths, whether it comes from the chat (an {@link LlmException}), from reading the
 * request (malformed JSON, a wrong type, a body too large, a wrong content type) or from routing (a
 * wrong method, an unknown path). A client reads what was wrong with its request, never a stack
 * trace or a class name; anything unexpected is a 500 with a generic message, logged here.
 */
@Component
@Order(-2)
class ChatErrors implements WebExceptionHandler {

	private static final Log logger = LogFactory.getLog(ChatErrors.class);

	private static final int MAX_DETAIL = 300;

	private final ServerResponse.Context context;

	private final FallbackErrorMapping mapping;

	ChatErrors(ServerCodecConfigurer codecs, FallbackErrorMapping mapping) {
		this.mapping = mapping;
		List<HttpMessageWriter<?>> writers = codecs.getWriters();
		this.context = new ServerResponse.Context() {

			@Override
			public List<HttpMessageWriter<?>> messageWriters() {
				return writers;
			}

			@Override
			public List<ViewResolver> viewResolvers() {
				return List.of();
			}

		};
	}

	@Override
	public Mono<Void> handle(ServerWebExchange exchange, Throwable failure) {
		String path = exchange.getRequest().getPath().pathWithinApplication().value();
		boolean openAi = path.equals("/v1") || path.startsWith("/v1/");
		boolean chat = path.equals("/chat") || path.startsWith("/chat/");
		if (!(openAi || chat) || exchange.getResponse().isCommitted()) {
			return Mono.error(failure);
		}
		FallbackErrorResponse mapped = answer(toLlmException(failure));
		FallbackErrorResponse answer = (failure instanceof ResponseStatusException rejected)
				? withStatus(mapped, rejected.getStatusCode().value()) : mapped;
		if (answer.status() >= 500 && !(failure instanceof LlmException)) {
			logger.error("Unexpected failure answering " + exchange.getRequest().getMethod() + " " + path, failure);
		}
		ServerResponse.BodyBuilder response = ServerResponse.status(answer.status())
			.headers((headers) -> answer.writeHeaders(headers));
		if (failure instanceof MethodNotAllowedException notAllowed) {
			response.allow(notAllowed.getSupportedMethods().toArray(new HttpMethod[0]));
		}
		Mono<ServerResponse> written = openAi
				? response.contentType(MediaType.APPLICATION_JSON).bodyValue(OpenAiErrorEnvelope.of(answer))
				: response.contentType(MediaType.APPLICATION_PROBLEM_JSON).bodyValue(answer.problemDetail());
		return written.flatMap((built) -> built.writeTo(exchange, this.context));
	}

	/**
	 * How a failure is answered: the starter's one mapping (status per category, {@code Retry-After},
	 * {@code x-should-retry}, {@code x-fallback-category}).
	 * @param failure the failure
	 * @return its answer
	 */
	FallbackErrorResponse answer(LlmException failure) {
		return this.mapping.map(failure);
	}

	/** A request refused by the web layer keeps that layer's status (405, 413, 415, ...). */
	private static FallbackErrorResponse withStatus(FallbackErrorResponse answer, int status) {
		return new FallbackErrorResponse(status, answer.category(), answer.message(), answer.attempts(),
				answer.retryAfter(), answer.shouldRetry(), answer.openAiType(), answer.openAiCode());
	}

	/** A {@code null} message falls back to the category's id, as {@link LlmException.Builder#message} does. */
	static LlmException badRequest(@Nullable String message) {
		return LlmException.builder(ErrorCategory.BAD_REQUEST).message(message).build();
	}

	/**
	 * The failure as the chat would have reported it: itself, a {@code bad_request} saying what was
	 * wrong with the request, or a {@code server_error} that says nothing about the internals.
	 */
	static LlmException toLlmException(Throwable failure) {
		if (failure instanceof LlmException llm) {
			return llm;
		}
		if (failure instanceof ResponseStatusException rejected && rejected.getStatusCode().is4xxClientError()) {
			return badRequest(describe(rejected));
		}
		return LlmException.builder(ErrorCategory.SERVER_ERROR)
			.message("The request failed unexpectedly; the server's log has the details")
			.build();
	}

	private static String describe(ResponseStatusException rejected) {
		if (rejected instanceof ContentTooLargeException) {
			return "The request body is larger than the server accepts (spring.http.codecs.max-in-memory-size)";
		}
		if (rejected instanceof UnsupportedMediaTypeStatusException unsupported) {
			return "Content type '" + ((unsupported.getContentType() != null) ? unsupported.getContentType() : "none")
					+ "' is not supported; send application/json";
		}
		if (rejected instanceof MethodNotAllowedException notAllowed) {
			return "Method " + notAllowed.getHttpMethod() + " is not allowed here; use "
					+ notAllowed.getSupportedMethods();
		}
		if (rejected instanceof NotAcceptableStatusException) {
			return "None of the accepted media types can be produced";
		}
		if (rejected.getStatusCode().value() == HttpStatus.NOT_FOUND.value()) {
			return "There is no such endpoint";
		}
		if (rejected instanceof ServerWebInputException) {
			String body = describeBody(rejected);
			if (body != null) {
				return body;
			}
		}
		return truncate((rejected.getReason() != null) ? rejected.getReason() : "The request is invalid");
	}

	/** What the JSON parser or binder found wrong with the body, without class names. */
	private static @Nullable String describeBody(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = (cause.getCause() != cause) ? cause.getCause() : null) {
			if (cause instanceof StreamConstraintsException) {
				return "The request body exceeds the JSON limits (nesting depth, number or string length)";
			}
			if (cause instanceof InputCoercionException outOfRange) {
				String at = path(outOfRange);
				return at.isEmpty() ? "A number in the request body is out of range"
						: "'" + at + "' is out of range";
			}
			if (cause instanceof StreamReadException malformed) {
				return truncate("The request body is not valid JSON: " + firstLine(malformed.getOriginalMessage()));
			}
			if (cause instanceof JacksonException invalid) {
				String at = path(invalid);
				if (at.isEmpty()) {
					return "The request body must be a JSON object";
				}
				Throwable reason = invalid.getCause();
				if (reason instanceof LlmException || reason instanceof IllegalArgumentException) {
					return truncate("Invalid '" + at + "': " + reason.getMessage());
				}
				if (reason instanceof NullPointerException missing && missing.getMessage() != null) {
					return truncate("Invalid '" + at + "': '" + missing.getMessage() + "' is required");
				}
				if (invalid instanceof MismatchedInputException mismatch) {
					return "'" + at + "' must be " + expected(mismatch.getTargetType());
				}
				return "Invalid '" + at + "'";
			}
		}
		return null;
	}

	/** Where in the body: {@code messages[0].role}. */
	private static String path(JacksonException failure) {
		return failure.getPath()
			.stream()
			.map((step) -> (step.getPropertyName() != null) ? "." + step.getPropertyName() : "[" + step.getIndex() + "]")
			.reduce("", String::concat)
			.replaceFirst("^\\.", "");
	}

	private static String expected(@Nullable Class<?> type) {
		if (type == null) {
			return "of another type";
		}
		if (type == Integer.class || type == Long.class || type == int.class || type == long.class
				|| type == java.math.BigInteger.class) {
			return "an integer";
		}
		if (Number.class.isAssignableFrom(type) || (type.isPrimitive() && type != boolean.class)) {
			return "a number";
		}
		if (CharSequence.class.isAssignableFrom(type) || type.isEnum()) {
			return "a string";
		}
		if (type == Boolean.class || type == boolean.class) {
			return "true or false";
		}
		if (Iterable.class.isAssignableFrom(type) || type.isArray()) {
			return "an array";
		}
		return "an object";
	}

	private static String firstLine(@Nullable String text) {
		if (text == null) {
			return "unreadable";
		}
		int end = text.indexOf('\n');
		return (end >= 0) ? text.substring(0, end) : text;
	}

	private static String truncate(String text) {
		return (text.length() <= MAX_DETAIL) ? text : text.substring(0, MAX_DETAIL) + "...";
	}

}
