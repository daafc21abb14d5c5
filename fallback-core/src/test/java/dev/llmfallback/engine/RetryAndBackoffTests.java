package dev.llmfallback.engine;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

import dev.llmfallback.ChatRequest;
import dev.llmfallback.ChatResponse;
import dev.llmfallback.ErrorCategory;
import dev.llmfallback.engine.ModelStatus.State;
import dev.llmfallback.policy.RetrySpec;
import dev.llmfallback.testing.ScriptedProvider;
import dev.llmfallback.testing.Step;

import static org.assertj.core.api.Assertions.assertThat;

/** Retries of one model: exponential back-off, jitter, Retry-After, and the limits on each. */
class RetryAndBackoffTests {

	private static final Step OVERLOADED = Step.fail(ErrorCategory.SERVICE_UNAVAILABLE).status(503);

	@Test
	void waitsTheExponentialBackOffBetweenRetries() {
		Fixture fixture = new Fixture();
		ScriptedProvider primary = fixture.healthy("primary", OVERLOADED, OVERLOADED);
		FallbackEngine engine = fixture.chain("primary").engine();

		StepVerifier.withVirtualTime(() -> engine.chatService().chat(ChatRequest.of("hi")), () -> fixture.time, 1)
			.expectSubscription()
			.then(() -> assertThat(primary.calls()).isEqualTo(1))
			.expectNoEvent(Duration.ofMillis(99))
			.then(() -> assertThat(primary.calls()).isEqualTo(1))
			.thenAwait(Duration.ofMillis(1))
			.then(() -> assertThat(primary.calls()).isEqualTo(2))
			.expectNoEvent(Duration.ofMillis(199))
			.then(() -> assertThat(primary.calls()).isEqualTo(2))
			.thenAwait(Duration.ofMillis(1))
			.assertNext((response) -> {
				assertThat(response.content()).isEqualTo("from primary");
				assertThat(response.attempts()).extracting((attempt) -> attempt.kind().id() + ":" + attempt.outcome())
					.containsExactly("primary:service_unavailable", "retry:service_unavailable", "retry:success");
				assertThat(response.fallbacks()).isZero();
			})
			.verifyComplete();
		assertThat(primary.calls()).isEqualTo(3);
	}

	@Test
	void backOffNeverExceedsMaxBackoff() {
		Fixture fixture = new Fixture();
		ScriptedProvider primary = fixture.healthy("primary", OVERLOADED, OVERLOADED, OVERLOADED);
		FallbackEngine engine = fixture
			.chain((policy) -> policy.retry(Fixture.EXACT_RETRY.toBuilder()
				.maxRetries(3)
				.initialBackoff(Duration.ofSeconds(1))
				.multiplier(10)
				.maxBackoff(Duration.ofSeconds(3))
				.build()), "primary")
			.engine();

		StepVerifier.withVirtualTime(() -> engine.chatService().chat(ChatRequest.of("hi")), () -> fixture.time, 1)
			.expectSubscription()
			.thenAwait(Duration.ofSeconds(1))
			.then(() -> assertThat(primary.calls()).isEqualTo(2))
			.expectNoEvent(Duration.ofMillis(2999))
			.thenAwait(Duration.ofMillis(1))
			.then(() -> assertThat(primary.calls()).isEqualTo(3))
			.expectNoEvent(Duration.ofMillis(2999))
			.thenAwait(Duration.ofMillis(1))
			.expectNextCount(1)
			.verifyComplete();
	}

	@Test
	void jitterSpreadsEachDelayByItsFactor() {
		// ±50 % of a 1 s first delay: the retry lands between 1 s and 1.5 s (Spring's back-off never
		// goes below the initial delay).
		for (int run = 0; run < 20; run++) {
			Fixture fixture = new Fixture();
			ScriptedProvider primary = fixture.healthy("primary", OVERLOADED);
			FallbackEngine engine = fixture
				.chain((policy) -> policy.retry(Fixture.EXACT_RETRY.toBuilder()
					.initialBackoff(Duration.ofSeconds(1))
					.jitter(0.5)
					.build()), "primary")
				.engine();
			StepVerifier.withVirtualTime(() -> engine.chatService().chat(ChatRequest.of("hi")), () -> fixture.time, 1)
				.expectSubscription()
				.expectNoEvent(Duration.ofMillis(999))
				.thenAwait(Duration.ofMillis(501))
				.expectNextCount(1)
				.verifyComplete();
			assertThat(primary.calls()).isEqualTo(2);
		}
	}

	@Test
	void honoursRetryAfterLongerThanTheBackOff() {
		Fixture fixture = new Fixture();
		ScriptedProvider primary = fixture.healthy("primary",
				Step.fail(ErrorCategory.RATE_LIMIT).status(429).retryAfter(Duration.ofSeconds(4)));
		fixture.healthy("secondary");
		FallbackEngine engine = fixture.chain("primary", "secondary").engine();

		StepVerifier.withVirtualTime(() -> engine.chatService().chat(ChatRequest.of("hi")), () -> fixture.time, 1)
			.expectSubscription()
			.expectNoEvent(Duration.ofMillis(3999))
			.then(() -> assertThat(primary.calls()).isEqualTo(1))
			.thenAwait(Duration.ofMillis(1))
			.assertNext((response) -> assertThat(response.servedBy()).isEqualTo("primary"))
			.verifyComplete();
	}

	@Test
	void retryAfterBeyondMaxRetryAfterHopsAtOnceAndCoolsTheModelThatLong() {
		Fixture fixture = new Fixture();
		ScriptedProvider primary = fixture.healthy("primary",
				Step.fail(ErrorCategory.RATE_LIMIT).status(429).retryAfter(Duration.ofSeconds(90)));
		fixture.healthy("secondary");
		FallbackEngine engine = fixture.chain("primary", "secondary").engine();

		StepVerifier.withVirtualTime(() -> engine.chatService().chat(ChatRequest.of("hi")), () -> fixture.time, 1)
			.assertNext((response) -> assertThat(response.servedBy()).isEqualTo("secondary"))
			.verifyComplete();

		assertThat(primary.calls()).isEqualTo(1);
		ModelStatus status = engine.modelStatus("primary");
		assertThat(status.state()).isEqualTo(State.COOLING_DOWN);
		assertThat(status.cooldownReason()).isEqualTo(ErrorCategory.RATE_LIMIT);
		assertThat(status.cooldownUntil()).isEqualTo(status.lastErrorAt().plusSeconds(90));
		fixture.advance(Duration.ofSeconds(89));
		assertThat(engine.modelStatus("primary").state()).isEqualTo(State.COOLING_DOWN);
		fixture.advance(Duration.ofSeconds(1));
		assertThat(engine.modelStatus("primary").state()).isEqualTo(State.HALF_OPEN);
	}

	@Test
	void maxRetriesCountsRetriesNotCalls() {
		Fixture fixture = new Fixture();
		ScriptedProvider primary = fixture.failing("primary", OVERLOADED);
		fixture.healthy("secondary");
		FallbackEngine engine = fixture
			.chain((policy) -> policy.retry(Fixture.EXACT_RETRY.toBuilder().maxRetries(4).build()), "primary",
					"secondary")
			.maxAttemptsUnbounded()
			.engine();

		ChatResponse response = fixture.run(engine.chatService().chat(ChatRequest.of("hi"))).get();

		assertThat(primary.calls()).isEqualTo(5);
		assertThat(response.servedBy()).isEqualTo("secondary");
	}

	@Test
	void retryOnOverridesTheCategoriesThatRetry() {
		Fixture fixture = new Fixture();
		ScriptedProvider primary = fixture.healthy("primary", Step.fail(ErrorCategory.CONNECTION));
		ScriptedProvider secondary = fixture.healthy("secondary");
		FallbackEngine engine = fixture
			.chain((policy) -> policy.retryOn(ErrorCategory.CONNECTION), "primary", "secondary")
			.engine();

		ChatResponse response = fixture.run(engine.chatService().chat(ChatRequest.of("hi"))).get();

		assertThat(response.servedBy()).isEqualTo("primary");
		assertThat(primary.calls()).isEqualTo(2);
		assertThat(secondary.calls()).isZero();
	}

	@Test
	void anEmptyRetryOnNeverRetries() {
		Fixture fixture = new Fixture();
		ScriptedProvider primary = fixture.healthy("primary", OVERLOADED);
		fixture.healthy("secondary");
		FallbackEngine engine = fixture.chain((policy) -> policy.retryOn(java.util.List.of()), "primary", "secondary")
			.engine();

		ChatResponse response = fixture.run(engine.chatService().chat(ChatRequest.of("hi"))).get();

		assertThat(primary.calls()).isEqualTo(1);
		assertThat(response.servedBy()).isEqualTo("secondary");
	}

	@Test
	void fallbackOnOverridesTheCategoriesThatHop() {
		Fixture fixture = new Fixture();
		fixture.failing("primary", Step.fail(ErrorCategory.AUTHENTICATION).status(401));
		ScriptedProvider secondary = fixture.healthy("secondary");
		FallbackEngine engine = fixture
			.chain((policy) -> policy.fallbackOn(ErrorCategory.RATE_LIMIT, ErrorCategory.SERVER_ERROR), "primary",
					"secondary")
			.engine();

		Fixture.Result<ChatResponse> result = fixture.run(engine.chatService().chat(ChatRequest.of("hi")));

		assertThat(result.failure().category()).isEqualTo(ErrorCategory.AUTHENTICATION);
		assertThat(result.failure().httpStatus()).isEqualTo(401);
		assertThat(secondary.calls()).isZero();
	}

	@Test
	void fallbackOnCanMakeBadRequestsHop() {
		Fixture fixture = new Fixture();
		fixture.failing("primary", Step.fail(ErrorCategory.BAD_REQUEST).status(400));
		fixture.healthy("secondary");
		FallbackEngine engine = fixture
			.chain((policy) -> policy.fallbackOn(ErrorCategory.BAD_REQUEST), "primary", "secondary")
			.engine();

		assertThat(fixture.run(engine.chatService().chat(ChatRequest.of("hi"))).get().servedBy())
			.isEqualTo("secondary");
	}

	@Test
	void retrySpecDefaultsAreDesignDefaults() {
		RetrySpec defaults = RetrySpec.defaults();
		assertThat(defaults.maxRetries()).isEqualTo(2);
		assertThat(defaults.initialBackoff()).isEqualTo(Duration.ofMillis(200));
		assertThat(defaults.multiplier()).isEqualTo(2.0);
		assertThat(defaults.maxBackoff()).isEqualTo(Duration.ofSeconds(5));
		assertThat(defaults.jitter()).isEqualTo(0.2);
		assertThat(defaults.maxRetryAfter()).isEqualTo(Duration.ofSeconds(10));
	}

}
