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
	void capabilityRefusalBeatsAServerErrorCode() {
		// llama-server answers a capability it lacks with a 500 of type server_error
		// (https://github.com/QwenLM/Qwen3.8/issues/44): the next model may have it, a retry will not.
		LlmException exception = classify(500, "this model does not support tools", "server_error");
		assertThat(exception.category()).isEqualTo(ErrorCategory.UNSUPPORTED);
		assertThat(classify(500, "The server had an error", "server_error").category())
			.isEqualTo(ErrorCategory.SERVER_ERROR);
	}

	@Test
	void capabilityRefusalAsA404IsUnsupportedAndOther404sStayNotFound() {
		// OpenRouter: https://github.com/bobrware/bobrchat/issues/60 (404 "No endpoints found that support tool use").
		assertThat(classify(404, "This model does not support tools").category()).isEqualTo(ErrorCategory.UNSUPPORTED);
		assertThat(classify(404, "The model `gpt-9` does not exist").category()).isEqualTo(ErrorCategory.NOT_FOUND);
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

	@Test
	void capabilityRefusalBeatsABadRequestCode() {
		LlmException exception = classify(400, "Streaming is not supported for this model", "unsupported_value");
		assertThat(exception.category()).isEqualTo(ErrorCategory.UNSUPPORTED);
		assertThat(exception.basis()).isEqualTo(ClassificationBasis.MESSAGE);
		assertThat(exception.errorCode()).isEqualTo("unsupported_value");
	}

	@Test
	void parameterNamedWrongStaysABadRequest() {
		LlmException exception = classify(400,
				"Unsupported parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead.",
				"unsupported_parameter");
		assertThat(exception.category()).isEqualTo(ErrorCategory.BAD_REQUEST);
		assertThat(exception.basis()).isEqualTo(ClassificationBasis.CODE);
	}

	@Test
	void capabilityRefusalInsideAStreamIsUnsupported() {
		LlmException exception = this.classifier.classify("p",
				new ProviderError(null, "registry.ollama.ai/library/llama2 does not support tools", List.of(), null, true), null);
		assertThat(exception.category()).isEqualTo(ErrorCategory.UNSUPPORTED);
	}

	@Test
	void capabilityWordingDoesNotOverruleTheStatus() {
		// A 429 is a rate limit or a quota, whatever else the message says.
		assertThat(classify(429, "Too many requests: streaming is not supported on the free tier").category())
			.isEqualTo(ErrorCategory.RATE_LIMIT);
	}

	@Test
	void formatRulesComeBeforeTheSharedOnesAndOnlyForThatFormat() {
		ErrorRules format = ErrorRules.builder()
			.codes(ErrorCategory.SERVICE_UNAVAILABLE, "engine_sleeping")
			.messages(ErrorCategory.UNSUPPORTED, "cannot frobnicate")
			.status(498, ErrorCategory.CONTENT_POLICY)
			.build();
		ErrorClassifier withFormat = new ErrorClassifier(ClassificationRules.none(), Clock.systemUTC(), format);
		assertThat(withFormat.classify("p", new ProviderError(503, "x", List.of("engine_sleeping"), null, true), null).basis())
			.isEqualTo(ClassificationBasis.CODE);
		assertThat(withFormat.classify("p", new ProviderError(400, "Model cannot frobnicate", List.of(), null, true), null)
			.category()).isEqualTo(ErrorCategory.UNSUPPORTED);
		assertThat(withFormat.classify("p", new ProviderError(498, null, List.of(), null, false), null).category())
			.isEqualTo(ErrorCategory.CONTENT_POLICY);
		assertThat(classify(400, "Model cannot frobnicate").category()).isEqualTo(ErrorCategory.BAD_REQUEST);
		assertThat(this.classifier.classify("p", new ProviderError(498, null, List.of(), null, false), null).category())
			.isEqualTo(ErrorCategory.BAD_REQUEST);
	}

	private LlmException classify(int status, String message, String... codes) {
		return this.classifier.classify("p", new ProviderError(status, message, List.of(codes), null, true), null);
	}

}
