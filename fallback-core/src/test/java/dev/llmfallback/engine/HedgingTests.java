package dev.llmfallback.engine;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.llmfallback.AttemptKind;
import dev.llmfallback.ChatRequest;
import dev.llmfallback.ChatResponse;
import dev.llmfallback.ErrorCategory;
import dev.llmfallback.LlmException;
import dev.llmfallback.event.HedgeEvent;
import dev.llmfallback.policy.HedgeSpec;
import dev.llmfallback.testing.ScriptedProvider;
import dev.llmfallback.testing.Step;

import static org.assertj.core.api.Assertions.assertThat;

/** Hedged requests: a second call when the first is slow, the first answer wins, the loser is cancelled. */
class HedgingTests {

	private final Fixture fixture = new Fixture();

	private static final HedgeSpec AFTER_2S = HedgeSpec.after(Duration.ofSeconds(2)).withMaxRate(1.0);

	@Test
	void aSlowCallIsHedgedAndTheFirstAnswerWinsWhileTheOtherIsCancelledAtOnce() {
		ScriptedProvider primary = this.fixture.healthy("primary", Step.reply("late").after(Duration.ofSeconds(10)));
		ScriptedProvider secondary = this.fixture.healthy("secondary", Step.reply("quick").after(Duration.ofSeconds(1)));
		FallbackEngine engine = this.fixture.chain((policy) -> policy.hedge(AFTER_2S), "primary", "secondary").engine();

		ChatResponse response = this.fixture.run(engine.chatService().chat(ChatRequest.of("hi"))).get();

		assertThat(response.content()).isEqualTo("quick");
		assertThat(this.fixture.time.now(java.util.concurrent.TimeUnit.MILLISECONDS)).isEqualTo(3000);
		assertThat(primary.cancellations()).isEqualTo(1);
		assertThat(primary.inFlight()).isZero();
		assertThat(this.fixture.attemptOutcomes()).containsExactly("primary:primary:cancelled",
				"secondary:hedge:success");
		assertThat(response.attempts()).extracting((attempt) -> attempt.kind()).containsExactly(AttemptKind.PRIMARY,
				AttemptKind.HEDGE);
		assertThat(this.fixture.events(HedgeEvent.class)).singleElement()
			.isEqualTo(new HedgeEvent("chat", "primary", HedgeEvent.HEDGE));
		assertThat(this.fixture.hops()).containsExactly("primary->secondary:hedge");
	}

	@Test
	void thePrimaryCanStillWinAfterTheHedgeStarted() {
		ScriptedProvider secondary = this.fixture.healthy("secondary", Step.reply("hedge").after(Duration.ofSeconds(5)));
		this.fixture.healthy("primary", Step.reply("primary").after(Duration.ofMillis(2500)));
		FallbackEngine engine = this.fixture.chain((policy) -> policy.hedge(AFTER_2S), "primary", "secondary").engine();

		ChatResponse response = this.fixture.run(engine.chatService().chat(ChatRequest.of("hi"))).get();

		assertThat(response.content()).isEqualTo("primary");
		assertThat(secondary.cancellations()).isEqualTo(1);
		assertThat(this.fixture.attemptOutcomes()).containsExactly("secondary:hedge:cancelled",
				"primary:primary:success");
		assertThat(this.fixture.events(HedgeEvent.class)).singleElement()
			.isEqualTo(new HedgeEvent("chat", "primary", HedgeEvent.PRIMARY));
	}

	@Test
	void aCallThatAnswersInTimeIsNeverHedged() {
		this.fixture.healthy("primary", Step.reply("primary").after(Duration.ofMillis(1900)));
		ScriptedProvider secondary = this.fixture.healthy("secondary");
		FallbackEngine engine = this.fixture.chain((policy) -> policy.hedge(AFTER_2S), "primary", "secondary").engine();

		assertThat(this.fixture.run(engine.chatService().chat(ChatRequest.of("hi"))).get().content())
			.isEqualTo("primary");
		this.fixture.advance(Duration.ofSeconds(10));

		assertThat(secondary.calls()).isZero();
		assertThat(this.fixture.events(HedgeEvent.class)).isEmpty();
	}

	@Test
	void neverMoreThanOneHedgeInFlightAndTheWalkGoesOnWhenBothFail() {
		ScriptedProvider a = this.fixture.failing("a", Step.hang());
		ScriptedProvider b = this.fixture.failing("b", Step.hang());
		ScriptedProvider c = this.fixture.healthy("c");
		FallbackEngine engine = this.fixture
			.chain((policy) -> policy.hedge(AFTER_2S)
				.timeout(Duration.ofSeconds(10))
				.retry(dev.llmfallback.policy.RetrySpec.builder().maxRetries(0).build()), "a", "b", "c")
			.engine();

		ChatResponse response = this.fixture.run(engine.chatService().chat(ChatRequest.of("hi"))).get();

		assertThat(response.servedBy()).isEqualTo("c");
		assertThat(a.calls()).isEqualTo(1);
		assertThat(b.calls()).isEqualTo(1);
		assertThat(response.attempts()).extracting((attempt) -> attempt.model() + ":" + attempt.kind() + ":"
				+ attempt.outcome())
			.containsExactly("a:primary:timeout", "b:hedge:timeout", "c:fallback:success");
	}

	@Test
	void aHedgeCountsInMaxAttempts() {
		this.fixture.failing("a", Step.hang());
		this.fixture.failing("b", Step.hang());
		ScriptedProvider c = this.fixture.healthy("c");
		FallbackEngine engine = this.fixture
			.chain((policy) -> policy.hedge(AFTER_2S).timeout(Duration.ofSeconds(10)).maxAttempts(2), "a", "b", "c")
			.engine();

		LlmException failure = this.fixture.run(engine.chatService().chat(ChatRequest.of("hi"))).failure();

		assertThat(failure.getMessage()).contains("max-attempts (2) reached");
		assertThat(c.calls()).isZero();
	}

	@Test
	void noHedgeAfterAnErrorNoRetryCanHelp() {
		this.fixture.failing("a", Step.fail(ErrorCategory.CONNECTION));
		this.fixture.healthy("b", Step.reply("slow b").after(Duration.ofSeconds(5)));
		ScriptedProvider c = this.fixture.healthy("c");
		FallbackEngine engine = this.fixture.chain((policy) -> policy.hedge(AFTER_2S), "a", "b", "c").engine();

		ChatResponse response = this.fixture.run(engine.chatService().chat(ChatRequest.of("hi"))).get();

		assertThat(response.content()).isEqualTo("slow b");
		assertThat(c.calls()).isZero();
	}

	@Test
	void aFailureOfTheRequestItselfEndsTheRequestAndCancelsTheHedge() {
		this.fixture.failing("a", Step.fail(ErrorCategory.BAD_REQUEST).after(Duration.ofSeconds(3)));
		ScriptedProvider b = this.fixture.failing("b", Step.hang());
		FallbackEngine engine = this.fixture.chain((policy) -> policy.hedge(AFTER_2S), "a", "b").engine();

		LlmException failure = this.fixture.run(engine.chatService().chat(ChatRequest.of("hi"))).failure();

		assertThat(failure.category()).isEqualTo(ErrorCategory.BAD_REQUEST);
		assertThat(b.cancellations()).isEqualTo(1);
		assertThat(this.fixture.attemptOutcomes()).containsExactly("a:primary:bad_request", "b:hedge:cancelled");
	}

	@Test
	void maxRateCapsTheShareOfHedgedRequests() {
		this.fixture.failing("primary", Step.reply("late").after(Duration.ofSeconds(3)));
		ScriptedProvider secondary = this.fixture.healthy("secondary");
		FallbackEngine engine = this.fixture
			.chain((policy) -> policy.hedge(HedgeSpec.after(Duration.ofSeconds(1))), "primary", "secondary")
			.engine();

		// Every primary call is slow: without the budget (10 % by default) every request would be hedged.
		int hedged = 0;
		for (int i = 0; i < 100; i++) {
			ChatResponse response = this.fixture.run(engine.chatService().chat(ChatRequest.of("hi"))).get();
			if (response.attempts().stream().anyMatch((attempt) -> attempt.kind() == AttemptKind.HEDGE)) {
				hedged++;
			}
		}

		assertThat(hedged).isBetween(5, 12);
		assertThat(secondary.calls()).isEqualTo(hedged);
	}

	@Test
	void afterPercentileWaitsForEnoughLatenciesThenHedgesAtThePercentileWithAFloor() {
		Step[] script = new Step[21];
		java.util.Arrays.fill(script, Step.reply("quick").after(Duration.ofMillis(100)));
		script[20] = Step.reply("slow").after(Duration.ofSeconds(5));
		this.fixture.model("primary", script);
		ScriptedProvider secondary = this.fixture.healthy("secondary", Step.reply("hedge").after(Duration.ofMillis(50)));
		FallbackEngine engine = this.fixture
			.chain((policy) -> policy.hedge(HedgeSpec.afterPercentile(95).withMaxRate(1.0)), "primary", "secondary")
			.engine();

		for (int i = 0; i < 20; i++) {
			assertThat(this.fixture.run(engine.chatService().chat(ChatRequest.of("hi"))).get().content())
				.isEqualTo("quick");
		}
		long start = this.fixture.time.now(java.util.concurrent.TimeUnit.MILLISECONDS);
		ChatResponse hedged = this.fixture.run(engine.chatService().chat(ChatRequest.of("hi"))).get();

		assertThat(hedged.content()).isEqualTo("hedge");
		// p95 of twenty 100 ms answers is 100 ms, under the 200 ms floor: hedged at 200 ms, served at 250 ms
		assertThat(this.fixture.time.now(java.util.concurrent.TimeUnit.MILLISECONDS) - start).isEqualTo(250);
		assertThat(secondary.calls()).isEqualTo(1);
	}

	@Test
	void aStreamWithoutAFirstChunkIsHedgedAndTheFirstStreamToSendOneWins() {
		ScriptedProvider primary = this.fixture.healthy("primary",
				Step.chunks("late ", "primary").after(Duration.ofSeconds(10)));
		this.fixture.healthy("secondary", Step.chunks("quick ", "hedge").after(Duration.ofSeconds(1)));
		FallbackEngine engine = this.fixture.chain((policy) -> policy.hedge(AFTER_2S), "primary", "secondary").engine();

		List<dev.llmfallback.ChatChunk> chunks = this.fixture
			.run(engine.chatService().stream(ChatRequest.of("hi")).collectList())
			.get();

		assertThat(chunks).extracting(dev.llmfallback.ChatChunk::delta).containsExactly("quick ", "hedge", "");
		dev.llmfallback.ChatChunk last = chunks.get(chunks.size() - 1);
		assertThat(last.servedBy()).isEqualTo("secondary");
		assertThat(last.attempts()).extracting((attempt) -> attempt.model() + ":" + attempt.kind() + ":"
				+ attempt.outcome())
			.containsExactly("primary:primary:cancelled", "secondary:hedge:success");
		assertThat(primary.cancellations()).isEqualTo(1);
		assertThat(this.fixture.events(HedgeEvent.class)).singleElement()
			.isEqualTo(new HedgeEvent("chat", "primary", HedgeEvent.HEDGE));
	}

	@Test
	void aStreamThatStartedInTimeIsNeverHedgedEvenIfItIsSlowToFinish() {
		this.fixture.healthy("primary", Step.chunks("a", "b", "c").every(Duration.ofSeconds(1)));
		ScriptedProvider secondary = this.fixture.healthy("secondary");
		FallbackEngine engine = this.fixture.chain((policy) -> policy.hedge(AFTER_2S), "primary", "secondary").engine();

		List<dev.llmfallback.ChatChunk> chunks = this.fixture
			.run(engine.chatService().stream(ChatRequest.of("hi")).collectList())
			.get();

		assertThat(chunks).extracting(dev.llmfallback.ChatChunk::delta).containsExactly("a", "b", "c", "");
		assertThat(secondary.calls()).isZero();
	}

}
