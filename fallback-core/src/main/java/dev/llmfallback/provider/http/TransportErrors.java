package dev.llmfallback.provider.http;

import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;

import dev.llmfallback.ErrorCategory;
import dev.llmfallback.LlmException.ClassificationBasis;
import dev.llmfallback.LlmException;
import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.timeout.ReadTimeoutException;
import io.netty.handler.timeout.WriteTimeoutException;
import reactor.netty.http.client.PrematureCloseException;
import tools.jackson.core.JacksonException;
import org.jspecify.annotations.Nullable;

import org.springframework.core.codec.DecodingException;
import org.springframework.core.io.buffer.DataBufferLimitException;

/**
 * Classifies failures that are not an error answer: the transport failed (refused, reset,
 * timed out) or the answer could not be read (too large, not JSON).
 */
final class TransportErrors {

	private TransportErrors() {
	}

	/**
	 * Classifies any failure of a call; an {@link LlmException} is returned as it is.
	 * @param provider the configured provider name
	 * @param failure the failure
	 * @return the classified exception
	 */
	static LlmException classify(String provider, Throwable failure) {
		if (failure instanceof LlmException llm) {
			return llm;
		}
		for (Throwable cause = failure; cause != null; cause = (cause.getCause() != cause) ? cause.getCause() : null) {
			LlmException classified = classifyOne(provider, cause, failure);
			if (classified != null) {
				return classified;
			}
		}
		return build(ErrorCategory.INVALID_RESPONSE, ClassificationBasis.BODY, provider,
				"unexpected failure reading the answer: " + describe(failure), failure);
	}

	private static @Nullable LlmException classifyOne(String provider, Throwable cause, Throwable failure) {
		if (cause instanceof LlmException llm) {
			return llm;
		}
		if (cause instanceof ConnectTimeoutException) {
			return build(ErrorCategory.TIMEOUT, ClassificationBasis.TRANSPORT, provider,
					"connect timed out: " + describe(cause), failure);
		}
		if (cause instanceof ReadTimeoutException || cause instanceof WriteTimeoutException
				|| cause instanceof SocketTimeoutException || cause instanceof TimeoutException) {
			return build(ErrorCategory.TIMEOUT, ClassificationBasis.TRANSPORT, provider,
					"timed out waiting for the answer", failure);
		}
		if (cause instanceof PrematureCloseException) {
			// Closed before any answer: the connection failed. Closed in the middle of one: the
			// answer is cut and unusable.
			boolean during = String.valueOf(cause.getMessage()).contains("DURING");
			return build(during ? ErrorCategory.INVALID_RESPONSE : ErrorCategory.CONNECTION,
					ClassificationBasis.TRANSPORT, provider, "connection closed " + (during ? "in the middle of the answer"
							: "before an answer") + ": " + describe(cause), failure);
		}
		if (cause instanceof ConnectException || cause instanceof UnknownHostException
				|| cause instanceof NoRouteToHostException || cause instanceof ClosedChannelException
				|| cause instanceof SSLException) {
			return build(ErrorCategory.CONNECTION, ClassificationBasis.TRANSPORT, provider,
					"cannot connect: " + describe(cause), failure);
		}
		if (cause instanceof DataBufferLimitException) {
			return build(ErrorCategory.INVALID_RESPONSE, ClassificationBasis.BODY, provider,
					"answer exceeds the configured max-response-bytes: " + describe(cause), failure);
		}
		if (cause instanceof Json.WrongTypeException) {
			return build(ErrorCategory.INVALID_RESPONSE, ClassificationBasis.BODY, provider,
					"malformed answer: " + cause.getMessage(), failure);
		}
		if (cause instanceof JacksonException || cause instanceof DecodingException) {
			return build(ErrorCategory.INVALID_RESPONSE, ClassificationBasis.BODY, provider,
					"malformed answer: " + describe(cause), failure);
		}
		if (cause instanceof IOException) {
			return build(ErrorCategory.CONNECTION, ClassificationBasis.TRANSPORT, provider,
					"connection failed: " + describe(cause), failure);
		}
		return null;
	}

	private static String describe(Throwable failure) {
		String message = failure.getMessage();
		String text = failure.getClass().getSimpleName() + ((message != null) ? " " + message : "");
		return ErrorBodies.truncate(text.replaceAll("\\s+", " "));
	}

	private static LlmException build(ErrorCategory category, ClassificationBasis basis, String provider,
			String message, Throwable cause) {
		return LlmException.builder(category)
			.message(provider + ": " + message)
			.basis(basis)
			.provider(provider)
			.cause(cause)
			.build();
	}

	/**
	 * An answer that is not what the protocol promises.
	 * @param provider the configured provider name
	 * @param status the HTTP status
	 * @param message what is wrong
	 * @return the exception
	 */
	static LlmException invalidResponse(String provider, @Nullable Integer status, String message) {
		return LlmException.builder(ErrorCategory.INVALID_RESPONSE)
			.message(provider + ": " + message)
			.httpStatus(status)
			.basis(ClassificationBasis.BODY)
			.provider(provider)
			.build();
	}

}
