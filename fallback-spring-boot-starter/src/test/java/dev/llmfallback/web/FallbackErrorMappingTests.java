package dev.llmfallback.web;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.http.HttpHeaders;

import dev.llmfallback.Attempt;
import dev.llmfallback.AttemptKind;
import dev.llmfallback.ChatRequest;
import dev.llmfallback.ErrorCategory;
import dev.llmfallback.FallbackExhaustedException;
import dev.llmfallback.LlmException;
import dev.llmfallback.autoconfigure.FallbackAutoConfiguration;
import dev.llmfallback.autoconfigure.web.FallbackWebAutoConfiguration;
import dev.llmfallback.engine.FallbackEngine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The one mapping, against real engines whose scripted providers fail each way. */
class FallbackErrorMappingTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(FallbackAutoConfiguration.class, FallbackWebAutoConfiguration.class))
		.withUserConfiguration(FailingChains.class)
		.withPropertyValues(FailingChains.PROPERTIES);

	private static LlmException failure(FallbackEngine engine, String policy) {
		try {
			engine.chatService(policy).chat(ChatRequest.of("hi")).block(Duration.ofSeconds(10));
		}
		catch (LlmException ex) {
			return ex;
		}
		throw new AssertionError("policy " + policy + " answered");
	}

	@Test
	void everyRowOfTheTableGetsItsStatusAndRetryAdvice() {
		this.runner.run((context) -> {
			FallbackEngine engine = context.getBean(FallbackEngine.class);
			FallbackErrorMapping mapping = context.getBean(FallbackErrorMapping.class);
			for (FailingChains.Row row : FailingChains.ROWS) {
				FallbackErrorResponse answer = mapping.map(failure(engine, row.policy()));
				HttpHeaders headers = answer.headers();
				assertThat(answer.status()).as(row.policy()).isEqualTo(row.status());
				assertThat(headers.getFirst(FallbackErrorResponse.CATEGORY)).as(row.policy()).isEqualTo(row.category().id());
				if (row.shouldRetry()) {
					assertThat(headers.containsHeader(FallbackErrorResponse.SHOULD_RETRY)).as(row.policy()).isFalse();
					assertThat(headers.getFirst(HttpHeaders.RETRY_AFTER)).as(row.policy()).isNotNull();
					assertThat(headers.getFirst(FallbackErrorResponse.RETRY_AFTER_MS)).as(row.policy()).isNotNull();
				}
				else {
					assertThat(headers.getFirst(FallbackErrorResponse.SHOULD_RETRY)).as(row.policy()).isEqualTo("false");
					assertThat(headers.containsHeader(HttpHeaders.RETRY_AFTER)).as(row.policy()).isFalse();
				}
			}
		});
	}

	@Test
	void theProvidersRetryAfterSaysWhenToComeBack() {
		this.runner.run((context) -> {
			FallbackErrorResponse answer = context.getBean(FallbackErrorMapping.class)
				.map(failure(context.getBean(FallbackEngine.class), "limited"));
			assertThat(answer.retryAfter()).isEqualTo(Duration.ofSeconds(4));
			assertThat(answer.headers().getFirst(HttpHeaders.RETRY_AFTER)).isEqualTo("4");
			assertThat(answer.headers().getFirst(FallbackErrorResponse.RETRY_AFTER_MS)).isEqualTo("4000");
			assertThat(answer.openAiCode()).isEqualTo("rate_limit_exceeded");
		});
	}

	@Test
	void aCoolingModelsEndOfCooldownSaysWhenToComeBackRoundedUpToWholeSeconds() {
		this.runner.run((context) -> {
			FallbackErrorResponse answer = context.getBean(FallbackErrorMapping.class)
				.map(failure(context.getBean(FallbackEngine.class), "overloaded"));
			assertThat(answer.retryAfter()).isBetween(Duration.ofSeconds(15), Duration.ofSeconds(20));
			long millis = Long.parseLong(answer.headers().getFirst(FallbackErrorResponse.RETRY_AFTER_MS));
			assertThat(answer.headers().getFirst(HttpHeaders.RETRY_AFTER)).isEqualTo(Long.toString((millis + 999) / 1000));
		});
	}

	@Test
	void theWaitIsCappedByTheProperty() {
		this.runner.withPropertyValues("llm.fallback.web.max-retry-after=3s").run((context) -> {
			FallbackErrorResponse answer = context.getBean(FallbackErrorMapping.class)
				.map(failure(context.getBean(FallbackEngine.class), "overloaded"));
			assertThat(answer.headers().getFirst(HttpHeaders.RETRY_AFTER)).isEqualTo("3");
			assertThat(answer.headers().getFirst(FallbackErrorResponse.RETRY_AFTER_MS)).isEqualTo("3000");
		});
	}

	@Test
	void aMaxRetryAfterUnderASecondFailsStartUpNamingTheProperty() {
		this.runner.withPropertyValues("llm.fallback.web.max-retry-after=0s")
			.run((context) -> assertThat(context).getFailure().hasStackTraceContaining("llm.fallback.web.max-retry-after"));
	}

	@Test
	void openAiCodesWhereOpenAiHasOneNeverInvalidApiKeyForTheProvidersKey() {
		this.runner.run((context) -> {
			FallbackEngine engine = context.getBean(FallbackEngine.class);
			FallbackErrorMapping mapping = context.getBean(FallbackErrorMapping.class);
			assertThat(mapping.map(failure(engine, "too-long")).openAiCode()).isEqualTo("context_length_exceeded");
			assertThat(mapping.map(failure(engine, "filtered")).openAiCode()).isEqualTo("content_policy_violation");
			FallbackErrorResponse quota = mapping.map(failure(engine, "no-quota"));
			assertThat(quota.openAiCode()).isEqualTo("insufficient_quota");
			assertThat(quota.openAiType()).isEqualTo("insufficient_quota");
			FallbackErrorResponse key = mapping.map(failure(engine, "bad-key"));
			assertThat(key.openAiCode()).isEqualTo("authentication");
			assertThat(key.openAiType()).isEqualTo("server_error");
		});
	}

	@Test
	void anUnknownModelIs404AndModelNotFound() {
		FallbackErrorResponse answer = new FallbackErrorMapping(null, Duration.ofSeconds(60), java.time.Clock.systemUTC())
			.map(LlmException.builder(ErrorCategory.NOT_FOUND).message("no such model").build());
		assertThat(answer.status()).isEqualTo(404);
		assertThat(answer.openAiCode()).isEqualTo("model_not_found");
		assertThat(answer.shouldRetry()).isFalse();
	}

	@Test
	void aLastingFailureInvitesARetryWhenAnotherModelFailedForAPassingReason() {
		List<Attempt> attempts = List.of(
				new Attempt("a", "p", AttemptKind.PRIMARY, "service_unavailable", 503, Duration.ofMillis(5), null),
				new Attempt("b", "q", AttemptKind.FALLBACK, "quota_exceeded", 429, Duration.ofMillis(5), null));
		FallbackErrorResponse answer = new FallbackErrorMapping(null, Duration.ofSeconds(60), java.time.Clock.systemUTC())
			.map(new FallbackExhaustedException("chat", ErrorCategory.QUOTA_EXCEEDED, "every model failed", attempts, null,
					false));
		assertThat(answer.status()).isEqualTo(429);
		assertThat(answer.shouldRetry()).isTrue();
		assertThat(answer.retryAfter()).isEqualTo(Duration.ofSeconds(1));
	}

	@Test
	void aMaxRetryAfterUnderASecondIsRefused() {
		assertThatThrownBy(() -> new FallbackErrorMapping(null, Duration.ofMillis(10), java.time.Clock.systemUTC()))
			.isInstanceOf(IllegalArgumentException.class);
	}

}
