package dev.llmfallback.provider.http;

import java.time.Clock;
import java.util.List;

import dev.llmfallback.LlmException;
import dev.llmfallback.provider.ClassificationRules;
import dev.llmfallback.provider.ProviderSettings;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

import org.springframework.http.HttpHeaders;

/**
 * One provider's way from a failure to the {@link LlmException} the engine sees: error answers and
 * in-stream errors through the {@link ErrorClassifier}, transport failures through
 * {@link TransportErrors}, and every message redacted of the API key and configured header values
 * (some servers echo what they were sent).
 */
final class ProviderFailures {

	/** Header values shorter than this (e.g. "beta", "1") are not redacted: they are no secret. */
	private static final int MIN_REDACTED_HEADER = 8;

	private final ProviderSettings settings;

	private final ErrorClassifier classifier;

	ProviderFailures(ProviderSettings settings, @Nullable ClassificationRules rules, ErrorRules format, Clock clock) {
		this.settings = settings;
		this.classifier = new ErrorClassifier(rules, clock, format);
	}

	String provider() {
		return this.settings.name();
	}

	/**
	 * Classifies an error answer.
	 * @param status the HTTP status
	 * @param headers the response headers
	 * @param body the body
	 * @return the exception (not thrown)
	 */
	LlmException errorAnswer(int status, HttpHeaders headers, String body) {
		return this.classifier.classify(provider(), ErrorBodies.read(status, body), headers);
	}

	/**
	 * Classifies an error found inside an answer or a stream event.
	 * @param error the error
	 * @param headers the response headers, or {@code null} inside a stream
	 * @return the exception (not thrown)
	 */
	LlmException error(ProviderError error, @Nullable HttpHeaders headers) {
		return this.classifier.classify(provider(), error, headers);
	}

	/**
	 * The error a stream event carries, or {@code null} for an ordinary event.
	 * @param event the SSE event name, or {@code null}
	 * @param node the event's JSON
	 * @return the exception (not thrown), or {@code null}
	 */
	@Nullable LlmException streamError(@Nullable String event, JsonNode node) {
		if (!"error".equals(event) && !carriesError(node)) {
			return null;
		}
		ProviderError error = ErrorBodies.fromJson(null, node);
		if (error == null) {
			error = new ProviderError(null, ErrorBodies.textMessage(node.toString()), List.of(), null, false);
		}
		return error(error, null);
	}

	/**
	 * Whether a JSON answer or event is an error: an {@code error} member, or
	 * {@code "type"/"object": "error"}.
	 * @param node the JSON
	 * @return {@code true} for an error
	 */
	static boolean carriesError(JsonNode node) {
		if (node.isArray()) {
			return node.size() > 0 && carriesError(node.get(0));
		}
		JsonNode error = node.get("error");
		return (error != null && !error.isNull() && !(error.isString() && error.stringValue().isEmpty()))
				|| "error".equals(Json.text(node.get("type"))) || "error".equals(Json.text(node.get("object")));
	}

	/**
	 * Classifies any failure of a call and redacts its message.
	 * @param failure the failure
	 * @return the classified exception
	 */
	Throwable classify(Throwable failure) {
		return redact(TransportErrors.classify(provider(), failure));
	}

	private LlmException redact(LlmException exception) {
		String message = exception.getMessage();
		if (message == null) {
			return exception;
		}
		String redacted = redact(message, this.settings.apiKey(), 1);
		for (String value : this.settings.headers().values()) {
			redacted = redact(redacted, value, MIN_REDACTED_HEADER);
		}
		return redacted.equals(message) ? exception : exception.toBuilder().message(redacted).build();
	}

	private static String redact(String message, @Nullable String secret, int minLength) {
		return (secret != null && secret.length() >= minLength) ? message.replace(secret, "[redacted]") : message;
	}

}
