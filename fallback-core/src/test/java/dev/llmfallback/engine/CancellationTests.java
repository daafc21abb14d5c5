package dev.llmfallback.engine;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import reactor.core.Disposable;

import dev.llmfallback.ChatRequest;
import dev.llmfallback.ErrorCategory;
import dev.llmfallback.event.RequestCompletedEvent;
import dev.llmfallback.testing.ScriptedProvider;
import dev.llmfallback.testing.Step;

import static org.assertj.core.api.Assertions.assertThat;

/** Cancelling the caller's subscription cancels the upstream call at once and starts nothing more. */
class CancellationTests {

	private final Fixture fixture = new Fixture();

	@Test
	void cancellingAChatCancelsTheCallInFlight() {
		ScriptedProvider primary = this.fixture.failing("primary", Step.hang());
		ScriptedProvider secondary = this.fixture.healthy("secondary");
		FallbackEngine engine = this.fixture.chain("primary", "secondary").engine();

		Disposable subscription = engine.chatService().chat(ChatRequest.of("hi")).subscribe();
		this.fixture.advance(Duration.ofSeconds(1));
		subscription.dispose();
		this.fixture.advance(Duration.ofMinutes(5));

		assertThat(primary.cancellations()).isEqualTo(1);
		assertThat(primary.inFlight()).isZero();
		assertThat(primary.calls() + secondary.calls()).isEqualTo(1);
		assertThat(this.fixture.attemptOutcomes()).containsExactly("primary:primary:cancelled");
		assertThat(this.fixture.events(RequestCompletedEvent.class)).singleElement()
			.satisfies((event) -> assertThat(event.outcome()).isEqualTo("cancelled"));
	}

	@Test
	void cancellingDuringABackOffStartsNoFurtherAttempt() {
		ScriptedProvider primary = this.fixture.failing("primary", Step.fail(ErrorCategory.SERVER_ERROR));
		ScriptedProvider secondary = this.fixture.healthy("secondary");
		FallbackEngine engine = this.fixture.chain("primary", "secondary").engine();

		Disposable subscription = engine.chatService().chat(ChatRequest.of("hi")).subscribe();
		this.fixture.advance(Duration.ofMillis(50));
		subscription.dispose();
		this.fixture.advance(Duration.ofMinutes(5));

		assertThat(primary.calls()).isEqualTo(1);
		assertThat(secondary.calls()).isZero();
	}

	@Test
	void cancellingAStreamCancelsTheUpstreamStream() {
		ScriptedProvider primary = this.fixture.failing("primary",
				Step.chunks("a", "b", "c", "d").every(Duration.ofSeconds(1)));
		ScriptedProvider secondary = this.fixture.healthy("secondary");
		FallbackEngine engine = this.fixture.chain("primary", "secondary").engine();

		Disposable subscription = engine.chatService().stream(ChatRequest.of("hi")).subscribe();
		this.fixture.advance(Duration.ofMillis(2500));
		subscription.dispose();
		this.fixture.advance(Duration.ofMinutes(5));

		assertThat(primary.cancellations()).isEqualTo(1);
		assertThat(secondary.calls()).isZero();
		assertThat(this.fixture.attemptOutcomes()).containsExactly("primary:primary:cancelled");
	}

	@Test
	void aCancelledTrialLetsTheNextRequestTry() {
		ScriptedProvider primary = this.fixture.healthy("primary", Step.fail(ErrorCategory.CONNECTION), Step.hang());
		this.fixture.healthy("secondary");
		FallbackEngine engine = this.fixture.chain("primary", "secondary").engine();
		this.fixture.run(engine.chatService().chat(ChatRequest.of("hi")));
		this.fixture.advance(Duration.ofSeconds(30));

		Disposable trial = engine.chatService().chat(ChatRequest.of("trial")).subscribe();
		trial.dispose();

		assertThat(this.fixture.run(engine.chatService().chat(ChatRequest.of("next"))).get().servedBy())
			.isEqualTo("primary");
		assertThat(primary.calls()).isEqualTo(3);
	}

	@Test
	void aProviderReportingCancellationEndsTheRequest() {
		this.fixture.failing("primary", Step.fail(ErrorCategory.CANCELLED));
		ScriptedProvider secondary = this.fixture.healthy("secondary");
		FallbackEngine engine = this.fixture.chain("primary", "secondary").engine();

		assertThat(this.fixture.run(engine.chatService().chat(ChatRequest.of("hi"))).failure().category())
			.isEqualTo(ErrorCategory.CANCELLED);
		assertThat(secondary.calls()).isZero();
	}

}
