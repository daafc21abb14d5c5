package dev.llmfallback.engine;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

import dev.llmfallback.ChatRequest;
import dev.llmfallback.ChatResponse;
import dev.llmfallback.ErrorCategory;
import dev.llmfallback.FallbackExhaustedException;
import dev.llmfallback.policy.ModelDefinition;
import dev.llmfallback.testing.ScriptedProvider;
import dev.llmfallback.testing.Step;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The outer layers of the walk: one attempt's timeout, the request's deadline across all hops, and
 * max-attempts across the whole chain.
 */
class TimeoutDeadlineAndBudgetTests {

	@Test
	void anAttemptThatOutlivesItsTimeoutFailsAsTimeoutAndIsRetried() {
		Fixture fixture = new Fixture();
		ScriptedProvider primary = fixture.healthy("primary", Step.hang());
		FallbackEngine engine = fixture.chain((policy) -> policy.timeout(Duration.ofSeconds(5)), "primary").engine();

		StepVerifier.withVirtualTime(() -> engine.chatService().chat(ChatRequest.of("hi")), () -> fixture.time, 1)
			.expectSubscription()
			.expectNoEvent(Duration.ofMillis(4999))
			.thenAwait(Duration.ofMillis(1 + 100))
			.assertNext((response) -> assertThat(response.attempts()).extracting("outcome")
				.containsExactly("timeout", "success"))
			.verifyComplete();
		assertThat(primary.cancellations()).as("the timed-out call was cancelled").isEqualTo(1);
	}

	@Test
	void aModelsOwnTimeoutOverridesThePolicys() {
		Fixture fixture = new Fixture();
		fixture.model(ModelDefinition.builder("primary").provider("primary").timeout(Duration.ofSeconds(2)).build(),
				Step.hang());
		fixture.healthy("secondary");
		FallbackEngine engine = fixture
			.chain((policy) -> policy.timeout(Duration.ofSeconds(30)).retryOn(java.util.List.of()), "primary",
					"secondary")
			.engine();

		StepVerifier.withVirtualTime(() -> engine.chatService().chat(ChatRequest.of("hi")), () -> fixture.time, 1)
			.expectSubscription()
			.expectNoEvent(Duration.ofMillis(1999))
			.thenAwait(Duration.ofMillis(1))
			.assertNext((response) -> {
				assertThat(response.servedBy()).isEqualTo("secondary");
				assertThat(response.attempts().get(0).duration()).isEqualTo(Duration.ofSeconds(2));
			})
			.verifyComplete();
	}

	@Test
	void theDeadlineEndsTheWalkAndNamesTheModelsTried() {
		Fixture fixture = new Fixture();
		fixture.failing("primary", Step.hang());
		fixture.failing("secondary", Step.hang());
		ScriptedProvider third = fixture.failing("third", Step.hang());
		FallbackEngine engine = fixture
			.chain((policy) -> policy.timeout(Duration.ofSeconds(4)).deadline(Duration.ofSeconds(10)).retryOn(java.util.List.of()),
					"primary", "secondary", "third")
			.engine();

		StepVerifier.withVirtualTime(() -> engine.chatService().chat(ChatRequest.of("hi")), () -> fixture.time, 1)
			.expectSubscription()
			.expectNoEvent(Duration.ofMillis(9999))
			.thenAwait(Duration.ofMillis(1))
			.expectErrorSatisfies((error) -> {
				assertThat(error).isInstanceOf(FallbackExhaustedException.class);
				FallbackExhaustedException exhausted = (FallbackExhaustedException) error;
				assertThat(exhausted.deadlineExceeded()).isTrue();
				assertThat(exhausted.category()).isEqualTo(ErrorCategory.TIMEOUT);
				assertThat(exhausted.getMessage()).contains("deadline of PT10S")
					.contains("primary timeout")
					.contains("third timeout");
				assertThat(exhausted.attempts()).extracting("model").containsExactly("primary", "secondary", "third");
			})
			.verify();
		// The third model got only the 2 s that were left, and no attempt started after the deadline.
		assertThat(third.calls()).isEqualTo(1);
		assertThat(third.cancellations()).isEqualTo(1);
	}

	@Test
	void noAttemptStartsAfterTheDeadline() {
		Fixture fixture = new Fixture();
		ScriptedProvider primary = fixture.failing("primary",
				Step.fail(ErrorCategory.SERVICE_UNAVAILABLE).after(Duration.ofSeconds(6)));
		ScriptedProvider secondary = fixture.healthy("secondary");
		FallbackEngine engine = fixture
			.chain((policy) -> policy.deadline(Duration.ofSeconds(5)), "primary", "secondary")
			.engine();

		Fixture.Result<ChatResponse> result = fixture.run(engine.chatService().chat(ChatRequest.of("hi")));

		assertThat(((FallbackExhaustedException) result.failure()).deadlineExceeded()).isTrue();
		assertThat(primary.calls()).isEqualTo(1);
		assertThat(secondary.calls()).isZero();
	}

	@Test
	void aBackOffThatWouldPassTheDeadlineHopsInstead() {
		Fixture fixture = new Fixture();
		ScriptedProvider primary = fixture.failing("primary", Step.fail(ErrorCategory.RATE_LIMIT)
			.retryAfter(Duration.ofSeconds(8))
			.after(Duration.ofSeconds(3)));
		fixture.healthy("secondary");
		FallbackEngine engine = fixture.chain((policy) -> policy.deadline(Duration.ofSeconds(10)), "primary", "secondary")
			.engine();

		ChatResponse response = fixture.run(engine.chatService().chat(ChatRequest.of("hi"))).get();

		assertThat(primary.calls()).isEqualTo(1);
		assertThat(response.servedBy()).isEqualTo("secondary");
	}

	@Test
	void maxAttemptsBoundsCallsAcrossTheWholeChain() {
		Fixture fixture = new Fixture();
		ScriptedProvider a = fixture.failing("a", Step.fail(ErrorCategory.SERVER_ERROR));
		ScriptedProvider b = fixture.failing("b", Step.fail(ErrorCategory.SERVER_ERROR));
		ScriptedProvider c = fixture.healthy("c");
		// Set below the three reachable models: retries are spared first (DESIGN, rules of the walk),
		// and still the bound holds: c is never called.
		FallbackEngine engine = fixture.chain((policy) -> policy.maxAttempts(2), "a", "b", "c").engine();

		Fixture.Result<ChatResponse> result = fixture.run(engine.chatService().chat(ChatRequest.of("hi")));

		assertThat(a.calls() + b.calls() + c.calls()).isEqualTo(2);
		assertThat(a.calls()).as("a's retries are spared for b").isEqualTo(1);
		assertThat(b.calls()).isEqualTo(1);
		assertThat(c.calls()).isZero();
		assertThat(result.failure()).isInstanceOf(FallbackExhaustedException.class)
			.hasMessageContaining("max-attempts (2) reached");
		assertThat(result.failure().category()).isEqualTo(ErrorCategory.SERVER_ERROR);
	}

	@Test
	void everyModelFailingEndsWithFallbackExhaustedCarryingEveryAttempt() {
		Fixture fixture = new Fixture();
		fixture.failing("a", Step.fail(ErrorCategory.SERVER_ERROR).status(500));
		fixture.failing("b", Step.fail(ErrorCategory.AUTHENTICATION).status(401));
		FallbackEngine engine = fixture.chain("a", "b").engine();

		Fixture.Result<ChatResponse> result = fixture.run(engine.chatService().chat(ChatRequest.of("hi")));

		FallbackExhaustedException exhausted = (FallbackExhaustedException) result.failure();
		assertThat(exhausted.category()).as("the last error's category").isEqualTo(ErrorCategory.AUTHENTICATION);
		assertThat(exhausted.httpStatus()).isEqualTo(401);
		assertThat(exhausted.policy()).isEqualTo("chat");
		assertThat(exhausted.deadlineExceeded()).isFalse();
		assertThat(exhausted.attempts()).extracting((attempt) -> attempt.model() + ":" + attempt.kind() + ":"
				+ attempt.outcome() + ":" + attempt.httpStatus())
			.containsExactly("a:primary:server_error:500", "a:retry:server_error:500", "a:retry:server_error:500",
					"b:fallback:authentication:401");
	}

}
