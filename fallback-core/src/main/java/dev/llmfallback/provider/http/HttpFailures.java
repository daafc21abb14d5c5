package dev.llmfallback.provider.http;

import java.time.Clock;

import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;

import dev.llmfallback.LlmException;
import dev.llmfallback.provider.ClassificationRules;

/**
 * The classification the built-in adapters use, for adapters that reach a provider through someone
 * else's client (a Spring AI {@code ChatModel}, a vendor SDK) and so see its failures as exceptions
 * carrying an HTTP status and body: the same {@link ErrorClassifier} steps and the same transport
 * rules, never a second set of rules.
 */
public final class HttpFailures {

	private final String provider;

	private final ErrorClassifier classifier;

	/**
	 * @param provider the configured provider name
	 * @param rules the user's message patterns, or {@code null}
	 */
	public HttpFailures(String provider, @Nullable ClassificationRules rules) {
		this.provider = provider;
		this.classifier = new ErrorClassifier(rules, Clock.systemUTC());
	}

	/**
	 * Classifies an error answer by its status, body (any wire format's error JSON, or text) and
	 * headers ({@code Retry-After}).
	 * @param status the HTTP status, or {@code null} when the client did not say
	 * @param body the body, or {@code null}
	 * @param headers the headers, or {@code null}
	 * @return the exception (not thrown)
	 */
	public LlmException errorAnswer(@Nullable Integer status, @Nullable String body, @Nullable HttpHeaders headers) {
		return this.classifier.classify(this.provider, ErrorBodies.read(status, body), headers);
	}

	/**
	 * Classifies a failure without an error answer (timeouts, refused connections, unreadable
	 * answers); an {@link LlmException} is returned as it is.
	 * @param failure the failure
	 * @return the exception (not thrown)
	 */
	public LlmException transport(Throwable failure) {
		return TransportErrors.classify(this.provider, failure);
	}

}
