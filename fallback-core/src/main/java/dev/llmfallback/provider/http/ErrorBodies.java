package dev.llmfallback.provider.http;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import org.jspecify.annotations.Nullable;

/**
 * Reads the error shapes LLM providers and the proxies in front of them answer with, so each
 * adapter does not repeat it:
 * <ul>
 * <li>{@code {"error": {"message", "type", "code", "param", "innererror": {"code"}}}} (OpenAI,
 * Azure OpenAI, OpenAI-compatible servers; OpenRouter with a numeric {@code code});</li>
 * <li>{@code {"type": "error", "error": {"type", "message"}}} (Anthropic);</li>
 * <li>{@code {"error": {"code": 429, "message", "status", "details": [...]}}} (Google), also
 * wrapped in an array;</li>
 * <li>{@code {"error": "text"}} (Ollama, llama.cpp, LM Studio), {@code {"message": "..."}}
 * (Cohere), {@code {"detail": ...}} (FastAPI servers), {@code {"object": "error", ...}} (vLLM);</li>
 * <li>HTML pages (the title is the message), plain text and empty bodies.</li>
 * </ul>
 */
final class ErrorBodies {

	private static final int MAX_MESSAGE = 600;

	private static final Pattern TITLE = Pattern.compile("<title[^>]*>(.*?)</title>",
			Pattern.CASE_INSENSITIVE | Pattern.DOTALL);

	private static final Pattern TAGS = Pattern.compile("<[^>]+>");

	private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)s");

	private ErrorBodies() {
	}

	/**
	 * Reads an error body of any shape.
	 * @param status the HTTP status, or {@code null}
	 * @param body the body text (may be {@code null} or empty)
	 * @return what the provider said
	 */
	static ProviderError read(@Nullable Integer status, @Nullable String body) {
		if (body == null || body.isBlank()) {
			return new ProviderError(status, null, List.of(), null, false);
		}
		String trimmed = body.strip();
		if (trimmed.startsWith("event:") || trimmed.startsWith("data:")) {
			// An error status answered in the stream's own framing: read its first data line.
			for (String line : trimmed.split("\r?\n")) {
				if (line.startsWith("data:")) {
					trimmed = line.substring(5).strip();
					break;
				}
			}
		}
		if (trimmed.startsWith("{") || trimmed.startsWith("[")) {
			try {
				JsonNode node = Json.MAPPER.readTree(trimmed);
				ProviderError error = fromJson(status, node);
				if (error != null) {
					return error;
				}
			}
			catch (JacksonException ex) {
				// Not JSON after all (or truncated): fall through and use the text.
			}
		}
		return new ProviderError(status, textMessage(trimmed), List.of(), null, false);
	}

	/**
	 * Reads an error out of a parsed JSON value, if it holds one.
	 * @param status the HTTP status, or {@code null}
	 * @param node the JSON value
	 * @return the error, or {@code null} if the value carries no error
	 */
	static @Nullable ProviderError fromJson(@Nullable Integer status, JsonNode node) {
		if (node == null) {
			return null;
		}
		if (node.isArray()) {
			return (node.size() > 0) ? fromJson(status, node.get(0)) : null;
		}
		if (!node.isObject()) {
			return null;
		}
		JsonNode error = node.get("error");
		List<String> codes = new ArrayList<>();
		Duration retryAfter = null;
		String message;
		Integer embeddedStatus = null;
		if (error != null && error.isObject()) {
			message = Json.text(error.get("message"));
			JsonNode inner = error.path("innererror");
			addCode(codes, inner.get("code"));
			JsonNode details = error.get("details");
			if (details != null && details.isArray()) {
				for (JsonNode detail : details) {
					for (JsonNode violation : detail.path("violations")) {
						addCode(codes, violation.get("quotaId"));
					}
					addCode(codes, detail.get("reason"));
					String delay = Json.text(detail.get("retryDelay"));
					if (delay != null && retryAfter == null) {
						retryAfter = protobufDuration(delay);
					}
				}
			}
			JsonNode code = error.get("code");
			if (code != null && code.isIntegralNumber()) {
				embeddedStatus = code.asInt();
			}
			else {
				addCode(codes, code);
			}
			addCode(codes, error.get("type"));
			addCode(codes, error.get("status"));
			if (message == null) {
				message = Json.text(error.get("detail"));
			}
			if (message == null && error.path("metadata").has("raw")) {
				message = Json.text(error.path("metadata").get("raw"));
			}
		}
		else if (error != null && error.isString()) {
			message = error.stringValue();
			addCode(codes, node.get("code"));
			addCode(codes, node.get("type"));
		}
		else if (isErrorObject(node)) {
			message = Json.text(node.get("message"));
			if (message == null && node.path("message").isContainer()) {
				// Mistral's 422: {"object": "error", "message": {"detail": [...]}}
				message = node.get("message").toString();
			}
			if (message == null) {
				JsonNode detail = node.get("detail");
				message = (detail != null && detail.isString()) ? detail.stringValue()
						: (detail != null && !detail.isMissingNode() && !detail.isNull()) ? detail.toString() : null;
			}
			JsonNode code = node.get("code");
			if (code != null && code.isIntegralNumber()) {
				embeddedStatus = code.asInt();
			}
			else {
				addCode(codes, code);
			}
			addCode(codes, node.get("error_type"));
			if (!"error".equals(Json.text(node.get("type")))) {
				addCode(codes, node.get("type"));
			}
		}
		else {
			return null;
		}
		Integer effective = status;
		if ((status == null || status < 400) && embeddedStatus != null && embeddedStatus >= 400 && embeddedStatus < 600) {
			effective = embeddedStatus;
		}
		return new ProviderError(effective, (message != null) ? truncate(message) : null, codes, retryAfter, true);
	}

	private static boolean isErrorObject(JsonNode node) {
		// Bodies without an "error" member that still are errors: {"message": ...} (Cohere),
		// {"detail": ...} (FastAPI), {"object": "error", ...} (vLLM).
		if ("error".equals(Json.text(node.get("object"))) || "error".equals(Json.text(node.get("type")))) {
			return true;
		}
		boolean looksLikeAnswer = node.has("choices") || node.has("candidates") || node.has("content")
				|| node.has("done") || node.has("delta");
		return !looksLikeAnswer && (node.has("message") && node.get("message").isString() || node.has("detail"));
	}

	private static void addCode(List<String> codes, JsonNode node) {
		String code = Json.text(node);
		if (code != null && !code.isBlank() && !codes.contains(code)) {
			codes.add(code);
		}
	}

	/**
	 * Parses a protobuf JSON duration ({@code "37s"}, {@code "1.5s"}).
	 * @param value the text
	 * @return the duration, or {@code null}
	 */
	static @Nullable Duration protobufDuration(String value) {
		Matcher matcher = DURATION.matcher(value.trim());
		if (!matcher.matches()) {
			return null;
		}
		return Duration.ofMillis(Math.round(Double.parseDouble(matcher.group(1)) * 1000));
	}

	/**
	 * A short message from a non-JSON body: an HTML page's title, or the text itself.
	 * @param body the body
	 * @return the message
	 */
	static String textMessage(String body) {
		if (looksLikeHtml(body)) {
			Matcher title = TITLE.matcher(body);
			String text = title.find() ? title.group(1) : TAGS.matcher(body).replaceAll(" ");
			return truncate(text.replaceAll("\\s+", " ").strip());
		}
		return truncate(body.replaceAll("\\s+", " ").strip());
	}

	/**
	 * Whether a body is an HTML page (a proxy's or load balancer's error page).
	 * @param body the body
	 * @return {@code true} for HTML
	 */
	static boolean looksLikeHtml(String body) {
		String start = body.stripLeading();
		start = start.substring(0, Math.min(start.length(), 100)).toLowerCase(java.util.Locale.ROOT);
		return start.startsWith("<!doctype html") || start.startsWith("<html") || start.startsWith("<head")
				|| start.startsWith("<body") || start.startsWith("<center") || start.startsWith("<h1");
	}

	static String truncate(String message) {
		return (message.length() <= MAX_MESSAGE) ? message : message.substring(0, MAX_MESSAGE) + "...";
	}

}
