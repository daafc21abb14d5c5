package dev.llmfallback.provider.http;

import java.time.Clock;
import java.util.List;
import java.util.Map;

import dev.llmfallback.ErrorCategory;
import dev.llmfallback.LlmException;
import dev.llmfallback.LlmException.ClassificationBasis;
import dev.llmfallback.provider.ClassificationRules;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ErrorClassifier}: the order status, code, built-in message, user message, and
 * the look-alikes that order exists for.
 */
class ErrorClassifierTests {

	private final ErrorClassifier classifier = new ErrorClassifier(ClassificationRules.none(), Clock.systemUTC());

	@Test
	void catchAllTypeAloneClassifiesNothing() {
		LlmException exception = classify(400, "Something odd about your request", "invalid_request_error");
		assertThat(exception.category()).isEqualTo(ErrorCategory.BAD_REQUEST);
		assertThat(exception.basis()).isEqualTo(ClassificationBasis.STATUS);
		assertThat(exception.errorCode()).isEqualTo("invalid_request_error");
	}

	@Test
	void codeTheStatusRulesOutIsIgnored() {
		// A 503 can never be a bad request, whatever a code says.
		LlmException exception = classify(503, null, "invalid_value");
		assertThat(exception.category()).isEqualTo(ErrorCategory.SERVICE_UNAVAILABLE);
		assertThat(exception.basis()).isEqualTo(ClassificationBasis.STATUS);
	}

	@Test
	void rateLimitOnAQuotaWindowOfADayIsQuota() {
		LlmException exception = classify(429, "Rate limit reached on requests per day (RPD): Limit 200", "rate_limit_exceeded");
		assertThat(exception.category()).isEqualTo(ErrorCategory.QUOTA_EXCEEDED);
	}

	@Test
	void quotaWordingOnAPerMinuteLimitIsARateLimit() {
		// https://github.com/google-gemini/deprecated-generative-ai-python/issues/244
		LlmException exception = classify(429,
				"Quota exceeded for quota metric 'Generate Content API requests per minute' and limit 'GenerateContent request limit per minute for a region'",
				"RESOURCE_EXHAUSTED");
		assertThat(exception.category()).isEqualTo(ErrorCategory.RATE_LIMIT);
	}

	@Test
	void errorInsideAStreamWithoutAnythingKnownIsAServerErrorOfTheBody() {
		LlmException exception = this.classifier.classify("p", new ProviderError(null, "boom", List.of(), null, true), null);
		assertThat(exception.category()).isEqualTo(ErrorCategory.SERVER_ERROR);
		assertThat(exception.basis()).isEqualTo(ClassificationBasis.BODY);
		assertThat(exception.httpStatus()).isNull();
	}

	@Test
	void userPatternsApplyOnlyWhenNoBuiltInRuleMatched() {
		ErrorClassifier classifier = new ErrorClassifier(
				ClassificationRules.of(Map.of(ErrorCategory.CONTEXT_WINDOW_EXCEEDED, List.of("prompt has \\d+ tokens"),
						ErrorCategory.RATE_LIMIT, List.of("invalid api key"))),
				Clock.systemUTC());
		LlmException custom = classifier.classify("p",
				new ProviderError(400, "Prompt has 9000 tokens, limit 8192", List.of(), null, true), null);
		assertThat(custom.category()).isEqualTo(ErrorCategory.CONTEXT_WINDOW_EXCEEDED);
		assertThat(custom.basis()).isEqualTo(ClassificationBasis.MESSAGE);
		LlmException builtIn = classifier.classify("p", new ProviderError(401, "Invalid API key", List.of(), null, true),
				null);
		assertThat(builtIn.category()).isEqualTo(ErrorCategory.AUTHENTICATION);
	}

	@Test
	void messageNamesProviderStatusAndCode() {
		LlmException exception = classify(429, "Slow down", "rate_limit_exceeded");
		assertThat(exception.getMessage()).isEqualTo("p: HTTP 429 (rate_limit_exceeded): Slow down");
		assertThat(exception.provider()).isEqualTo("p");
	}

	private LlmException classify(int status, String message, String... codes) {
		return this.classifier.classify("p", new ProviderError(status, message, List.of(codes), null, true), null);
	}

}
