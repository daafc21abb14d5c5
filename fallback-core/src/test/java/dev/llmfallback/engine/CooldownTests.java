package dev.llmfallback.engine;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

import dev.llmfallback.ChatRequest;
import dev.llmfallback.ChatResponse;
import dev.llmfallback.ErrorCategory;
import dev.llmfallback.SkipReason;
import dev.llmfallback.engine.ModelStatus.State;
import dev.llmfallback.event.CooldownEndedEvent;
import dev.llmfallback.event.CooldownStartedEvent;
import dev.llmfallback.policy.CooldownSpec;
import dev.llmfallback.policy.RetrySpec;
import dev.llmfallback.testing.ScriptedProvider;
import dev.llmfallback.testing.Step;

import static org.assertj.core.api.Assertions.assertThat;

/** Per-model cooldowns: the threshold within a window, skips, half-open trials, escalation, reset. */
class CooldownTests {

	private static final Step OVERLOADED = Step.fail(ErrorCategory.SERVICE_UNAVAILABLE).status(503);

	private final Fixture fixture = new Fixture();

	private FallbackEngine engineWith(CooldownSpec cooldown, String... chain) {
		return this.fixture
			.chain((policy) -> policy.retry(RetrySpec.builder().maxRetries(0).build()).cooldown(cooldown), chain)
			.engine();
	}

	private ChatResponse chat(FallbackEngine engine) {
		return this.fixture.run(engine.chatService().chat(ChatRequest.of("hi"))).get();
	}

	private static CooldownSpec threshold(int failures) {
		return CooldownSpec.builder()
			.failures(failures)
			.window(Duration.ofSeconds(60))
			.duration(Duration.ofSeconds(30))
			.build();
	}

	@Test
	void failuresWithinTheWindowStartACooldown() {
		this.fixture.failing("primary", OVERLOADED);
		this.fixture.healthy("secondary");
		FallbackEngine engine = engineWith(threshold(3), "primary", "secondary");

		chat(engine);
		chat(engine);
		assertThat(engine.modelStatus("primary").state()).isEqualTo(State.AVAILABLE);
		chat(engine);

		ModelStatus status = engine.modelStatus("primary");
		assertThat(status.state()).isEqualTo(State.COOLING_DOWN);
		assertThat(status.available()).isFalse();
		assertThat(status.cooldownUntil()).isEqualTo(status.lastErrorAt().plusSeconds(30));
		assertThat(this.fixture.events(CooldownStartedEvent.class)).singleElement()
			.satisfies((event) -> {
				assertThat(event.model()).isEqualTo("primary");
				assertThat(event.reason()).isEqualTo(ErrorCategory.SERVICE_UNAVAILABLE);
				assertThat(event.duration()).isEqualTo(Duration.ofSeconds(30));
			});
	}

	@Test
	void failuresOlderThanTheWindowDoNotCount() {
		this.fixture.failing("primary", OVERLOADED);
		this.fixture.healthy("secondary");
		FallbackEngine engine = engineWith(threshold(3), "primary", "secondary");

		chat(engine);
		chat(engine);
		this.fixture.advance(Duration.ofSeconds(61));
		chat(engine);

		ModelStatus status = engine.modelStatus("primary");
		assertThat(status.state()).isEqualTo(State.AVAILABLE);
		assertThat(status.failuresInWindow()).isEqualTo(1);
		this.fixture.advance(Duration.ofSeconds(61));
		assertThat(engine.modelStatus("primary").failuresInWindow()).as("aged out without a new failure").isZero();
	}

	@Test
	void aCoolingModelIsSkippedWithoutACall() {
		ScriptedProvider primary = this.fixture.failing("primary", Step.fail(ErrorCategory.AUTHENTICATION).status(401));
		this.fixture.healthy("secondary");
		FallbackEngine engine = engineWith(threshold(3), "primary", "secondary");
		chat(engine);

		ChatResponse response = chat(engine);

		assertThat(primary.calls()).isEqualTo(1);
		assertThat(response.servedBy()).isEqualTo("secondary");
		assertThat(response.attempts().get(0).skipReason()).isEqualTo(SkipReason.COOLDOWN);
		assertThat(response.fallbacks()).isEqualTo(1);
		assertThat(this.fixture.hops()).containsExactly("primary->secondary:authentication",
				"primary->secondary:cooldown");
	}

	@Test
	void afterTheCooldownOneTrialIsLetThroughAndSuccessEndsIt() {
		ScriptedProvider primary = this.fixture.healthy("primary", Step.fail(ErrorCategory.CONNECTION));
		this.fixture.healthy("secondary");
		FallbackEngine engine = engineWith(threshold(3), "primary", "secondary");
		chat(engine);
		this.fixture.advance(Duration.ofSeconds(30));
		assertThat(engine.modelStatus("primary").state()).isEqualTo(State.HALF_OPEN);

		ChatResponse response = chat(engine);

		assertThat(response.servedBy()).isEqualTo("primary");
		assertThat(primary.calls()).isEqualTo(2);
		assertThat(engine.modelStatus("primary").state()).isEqualTo(State.AVAILABLE);
		assertThat(this.fixture.events(CooldownEndedEvent.class)).singleElement()
			.satisfies((event) -> assertThat(event.reason()).isEqualTo(CooldownEndedEvent.RECOVERED));
	}

	@Test
	void whileATrialIsInFlightOtherRequestsSkipTheModel() {
		ScriptedProvider primary = this.fixture.healthy("primary", Step.fail(ErrorCategory.CONNECTION),
				Step.reply("slow trial").after(Duration.ofSeconds(5)));
		this.fixture.healthy("secondary");
		FallbackEngine engine = engineWith(threshold(3), "primary", "secondary");
		chat(engine);
		this.fixture.advance(Duration.ofSeconds(30));

		// The trial starts and waits 5 s for its answer; a second request meanwhile skips the model.
		AtomicReference<ChatResponse> trialAnswer = new AtomicReference<>();
		engine.chatService().chat(ChatRequest.of("trial")).subscribe(trialAnswer::set);
		ChatResponse other = chat(engine);
		assertThat(other.servedBy()).isEqualTo("secondary");
		assertThat(other.attempts().get(0).skipReason()).isEqualTo(SkipReason.COOLDOWN);
		assertThat(engine.modelStatus("primary").state()).isEqualTo(State.HALF_OPEN);
		assertThat(engine.modelStatus("primary").available()).isFalse();

		this.fixture.advance(Duration.ofSeconds(5));
		assertThat(trialAnswer.get().servedBy()).isEqualTo("primary");
		assertThat(primary.calls()).isEqualTo(2);
	}

	@Test
	void aFailedTrialStartsALongerCooldown() {
		ScriptedProvider primary = this.fixture.failing("primary", Step.fail(ErrorCategory.CONNECTION));
		this.fixture.healthy("secondary");
		FallbackEngine engine = engineWith(threshold(3), "primary", "secondary");
		chat(engine);
		this.fixture.advance(Duration.ofSeconds(30));

		chat(engine);

		assertThat(primary.calls()).as("the trial is a single probe, not retried").isEqualTo(2);
		ModelStatus status = engine.modelStatus("primary");
		assertThat(status.state()).isEqualTo(State.COOLING_DOWN);
		assertThat(status.failedTrials()).isEqualTo(1);
		assertThat(status.cooldownUntil()).isEqualTo(status.lastErrorAt().plusSeconds(60));
		this.fixture.advance(Duration.ofSeconds(60));
		chat(engine);
		assertThat(engine.modelStatus("primary").failedTrials()).isEqualTo(2);
		assertThat(this.fixture.events(CooldownStartedEvent.class)).extracting(CooldownStartedEvent::duration)
			.containsExactly(Duration.ofSeconds(30), Duration.ofSeconds(60), Duration.ofSeconds(120));
	}

	@Test
	void escalationStopsAtMaxDuration() {
		CooldownSpec spec = CooldownSpec.builder()
			.duration(Duration.ofSeconds(30))
			.maxDuration(Duration.ofSeconds(100))
			.build();
		assertThat(spec.durationAfter(0)).isEqualTo(Duration.ofSeconds(30));
		assertThat(spec.durationAfter(1)).isEqualTo(Duration.ofSeconds(60));
		assertThat(spec.durationAfter(2)).isEqualTo(Duration.ofSeconds(100));
		assertThat(spec.durationAfter(40)).isEqualTo(Duration.ofSeconds(100));
		assertThat(CooldownSpec.builder().duration(Duration.ofSeconds(30)).build().maxDuration())
			.isEqualTo(Duration.ofMinutes(5));
	}

	@Test
	void whenEveryModelIsCoolingTheOneThatRecoversFirstIsTried() {
		ScriptedProvider a = this.fixture.healthy("a", Step.fail(ErrorCategory.RATE_LIMIT).retryAfter(Duration.ofSeconds(120)));
		ScriptedProvider b = this.fixture.healthy("b", Step.fail(ErrorCategory.RATE_LIMIT).retryAfter(Duration.ofSeconds(60)));
		FallbackEngine engine = engineWith(threshold(3), "a", "b");
		this.fixture.run(engine.chatService().chat(ChatRequest.of("hi")));
		assertThat(engine.modelStatus("a").state()).isEqualTo(State.COOLING_DOWN);
		assertThat(engine.modelStatus("b").state()).isEqualTo(State.COOLING_DOWN);

		ChatResponse response = chat(engine);

		assertThat(response.servedBy()).isEqualTo("b");
		assertThat(a.calls()).isEqualTo(1);
		assertThat(b.calls()).isEqualTo(2);
		assertThat(response.attempts()).extracting((attempt) -> attempt.model() + ":" + attempt.outcome())
			.containsExactly("a:skipped", "b:skipped", "b:success");
		assertThat(engine.modelStatus("b").state()).as("the forced call's success ends b's cooldown")
			.isEqualTo(State.AVAILABLE);
	}

	@Test
	void aResetEndsTheCooldownAtOnce() {
		this.fixture.failing("primary", Step.fail(ErrorCategory.PERMISSION_DENIED));
		this.fixture.healthy("secondary");
		FallbackEngine engine = engineWith(threshold(3), "primary", "secondary");
		chat(engine);

		assertThat(engine.resetCooldown("primary")).isTrue();

		assertThat(engine.modelStatus("primary").state()).isEqualTo(State.AVAILABLE);
		assertThat(engine.resetCooldown("primary")).isFalse();
		assertThat(this.fixture.events(CooldownEndedEvent.class)).singleElement()
			.satisfies((event) -> assertThat(event.reason()).isEqualTo(CooldownEndedEvent.RESET));
	}

	@Test
	void aQuotaWithAResetTimeCoolsUntilThatTime() {
		this.fixture.failing("primary", Step.fail(ErrorCategory.QUOTA_EXCEEDED).retryAfter(Duration.ofMinutes(10)));
		this.fixture.healthy("secondary");
		FallbackEngine engine = engineWith(threshold(3), "primary", "secondary");
		chat(engine);

		ModelStatus status = engine.modelStatus("primary");
		assertThat(status.cooldownUntil()).isEqualTo(status.lastErrorAt().plus(Duration.ofMinutes(10)));
	}

	@Test
	void aModelNeverCalledIsReportedSo() {
		this.fixture.healthy("primary");
		this.fixture.healthy("secondary");
		FallbackEngine engine = engineWith(threshold(3), "primary", "secondary");
		chat(engine);

		assertThat(engine.modelStatus("primary").called()).isTrue();
		assertThat(engine.modelStatus("secondary").called()).isFalse();
	}

}
