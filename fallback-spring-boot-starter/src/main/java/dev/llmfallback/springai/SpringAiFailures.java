package dev.llmfallback.springai;

import java.lang.reflect.Method;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;
import org.springframework.web.client.RestClientResponseException;
import org.springframework.web.reactive.function.client.WebClientResponseException;

import dev.llmfallback.LlmException;
import dev.llmfallback.provider.ClassificationRules;
import dev.llmfallback.provider.http.HttpFailures;

/**
 * Classifies what a wrapped Spring AI {@code ChatModel} throws into our categories, with the HTTP
 * status and body where the exception carries them, through the same classifier as the built-in
 * adapters ({@link HttpFailures}). Looked for along the cause chain, most informative first:
 * <ul>
 * <li>the HTTP clients' status exceptions ({@link RestClientResponseException},
 * {@link WebClientResponseException}): status, body and headers;</li>
 * <li>the OpenAI and Anthropic Java SDKs' service exceptions ({@code com.openai.errors.*},
 * {@code com.anthropic.errors.*}: {@code statusCode()} and {@code body()}), read reflectively so
 * that neither SDK is a dependency of the starter;</li>
 * <li>Spring AI's {@code TransientAiException} / {@code NonTransientAiException}
 * ({@code spring-ai-retry}): a leading HTTP status in the message is used, else transient counts as
 * 503 and non-transient as 400, and the message refines it;</li>
 * <li>else the transport rules (timeouts, refused connections; otherwise {@code invalid_response}).</li>
 * </ul>
 */
public final class SpringAiFailures {

	private static final Pattern LEADING_STATUS = Pattern.compile("^\\D{0,10}?(\\d{3})\\b\\s*[-:]?\\s*(.*)$",
			Pattern.DOTALL);

	private final HttpFailures failures;

	/**
	 * @param provider the configured provider name
	 * @param rules the user's message patterns, or {@code null}
	 */
	public SpringAiFailures(String provider, @Nullable ClassificationRules rules) {
		this.failures = new HttpFailures(provider, rules);
	}

	/**
	 * @param failure what the wrapped model threw
	 * @return the classified exception (not thrown)
	 */
	public LlmException classify(Throwable failure) {
		if (failure instanceof LlmException llm) {
			return llm;
		}
		for (Throwable cause = failure; cause != null; cause = (cause.getCause() != cause) ? cause.getCause() : null) {
			LlmException classified = classifyOne(cause);
			if (classified != null) {
				return classified;
			}
		}
		return this.failures.transport(failure);
	}

	private @Nullable LlmException classifyOne(Throwable cause) {
		if (cause instanceof RestClientResponseException rest) {
			return this.failures.errorAnswer(rest.getStatusCode().value(), rest.getResponseBodyAsString(),
					rest.getResponseHeaders());
		}
		if (cause instanceof WebClientResponseException web) {
			return this.failures.errorAnswer(web.getStatusCode().value(), web.getResponseBodyAsString(),
					web.getHeaders());
		}
		String type = cause.getClass().getName();
		if (type.startsWith("com.openai.errors.") || type.startsWith("com.anthropic.errors.")) {
			Integer status = sdkStatus(cause);
			if (status != null) {
				return this.failures.errorAnswer(status, sdkBody(cause), null);
			}
		}
		if (type.equals("org.springframework.ai.retry.TransientAiException")
				|| type.equals("org.springframework.ai.retry.NonTransientAiException")) {
			String message = (cause.getMessage() != null) ? cause.getMessage() : "";
			Matcher matcher = LEADING_STATUS.matcher(message);
			if (matcher.matches()) {
				int status = Integer.parseInt(matcher.group(1));
				if (status >= 400 && status < 600) {
					return this.failures.errorAnswer(status, matcher.group(2), null);
				}
			}
			return this.failures.errorAnswer(type.endsWith(".TransientAiException") ? 503 : 400, message, null);
		}
		return null;
	}

	private static @Nullable Integer sdkStatus(Throwable cause) {
		Object status = invoke(cause, "statusCode");
		return (status instanceof Integer code) ? code : null;
	}

	private static @Nullable String sdkBody(Throwable cause) {
		Object body = invoke(cause, "body");
		return (body != null) ? body.toString() : cause.getMessage();
	}

	private static @Nullable Object invoke(Throwable target, String name) {
		try {
			Method method = target.getClass().getMethod(name);
			return method.invoke(target);
		}
		catch (ReflectiveOperationException | RuntimeException ex) {
			return null;
		}
	}

}
