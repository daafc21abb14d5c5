package dev.llmfallback.engine;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

import dev.llmfallback.ChatChunk;
import dev.llmfallback.ChatRequest;
import dev.llmfallback.ErrorCategory;
import dev.llmfallback.FallbackExhaustedException;
import dev.llmfallback.StreamInterruptedException;
import dev.llmfallback.Usage;
import dev.llmfallback.testing.ScriptedProvider;
import dev.llmfallback.testing.Step;

import static org.assertj.core.api.Assertions.assertThat;

/** Streams: fall back only before the first chunk reaches the caller; bounded by first-token and idle timeouts. */
class StreamingTests {

	private final Fixture fixture = new Fixture();

	@Test
	void streamsChunksAndEndsWithTheServingModelAndAttempts() {
		this.fixture.healthy("primary", Step.chunks("Hel", "lo").usage(Usage.of(5, 2)).providerModel("gpt-x-0613"));
		FallbackEngine engine = this.fixture.chain("primary").engine();

		StepVerifier.withVirtualTime(() -> engine.chatService().stream(ChatRequest.of("hi")), () -> this.fixture.time, 10)
			.expectNext(ChatChunk.delta("Hel", "primary", "primary"), ChatChunk.delta("lo", "primary", "primary"))
			.assertNext((last) -> {
				assertThat(last.last()).isTrue();
				assertThat(last.delta()).isEmpty();
				assertThat(last.finishReason()).isEqualTo("stop");
				assertThat(last.servedBy()).isEqualTo("primary");
				assertThat(last.providerModel()).isEqualTo("gpt-x-0613");
				assertThat(last.usage()).isEqualTo(Usage.of(5, 2));
				assertThat(last.attempts()).extracting("outcome").containsExactly("success");
			})
			.verifyComplete();
	}

	@Test
	void aFailureBeforeTheFirstChunkFallsBack() {
		this.fixture.failing("primary", Step.fail(ErrorCategory.SERVICE_UNAVAILABLE).status(529));
		this.fixture.healthy("secondary", Step.chunks("from ", "secondary"));
		FallbackEngine engine = this.fixture.chain("primary", "secondary").engine();

		StepVerifier.withVirtualTime(() -> engine.chatService().stream(ChatRequest.of("hi")), () -> this.fixture.time, 10)
			.thenAwait(Duration.ofSeconds(1))
			.expectNext(ChatChunk.delta("from ", "secondary", "secondary"), ChatChunk.delta("secondary", "secondary", "secondary"))
			.assertNext((last) -> {
				assertThat(last.servedBy()).isEqualTo("secondary");
				assertThat(last.fallbacks()).isEqualTo(1);
				assertThat(last.attempts()).extracting("outcome")
					.containsExactly("service_unavailable", "service_unavailable", "service_unavailable", "success");
			})
			.verifyComplete();
	}

	@Test
	void aFailureAfterTheFirstChunkEndsTheStreamWithAnExplicitError() {
		this.fixture.failing("primary", Step.chunks("par", "tial").thenFail(ErrorCategory.SERVER_ERROR));
		ScriptedProvider secondary = this.fixture.healthy("secondary");
		FallbackEngine engine = this.fixture.chain("primary", "secondary").engine();

		StepVerifier.withVirtualTime(() -> engine.chatService().stream(ChatRequest.of("hi")), () -> this.fixture.time, 10)
			.expectNext(ChatChunk.delta("par", "primary", "primary"), ChatChunk.delta("tial", "primary", "primary"))
			.expectErrorSatisfies((error) -> {
				assertThat(error).isInstanceOf(StreamInterruptedException.class);
				StreamInterruptedException interrupted = (StreamInterruptedException) error;
				assertThat(interrupted.category()).isEqualTo(ErrorCategory.SERVER_ERROR);
				assertThat(interrupted.deliveredChunks()).isEqualTo(2);
				assertThat(interrupted.attempts()).extracting((attempt) -> attempt.model() + ":" + attempt.outcome())
					.containsExactly("primary:server_error");
			})
			.verify();
		assertThat(secondary.calls()).as("no fallback once the caller holds part of an answer").isZero();
	}

	@Test
	void noFirstChunkWithinTheFirstTokenTimeoutCountsAsTimeout() {
		this.fixture.failing("primary", Step.chunks("late").after(Duration.ofSeconds(8)));
		this.fixture.healthy("secondary", Step.chunks("quick"));
		FallbackEngine engine = this.fixture
			.chain((policy) -> policy.firstTokenTimeout(Duration.ofSeconds(3)).retryOn(java.util.List.of()), "primary",
					"secondary")
			.engine();

		StepVerifier.withVirtualTime(() -> engine.chatService().stream(ChatRequest.of("hi")), () -> this.fixture.time, 10)
			.expectSubscription()
			.expectNoEvent(Duration.ofMillis(2999))
			.thenAwait(Duration.ofMillis(1))
			.expectNext(ChatChunk.delta("quick", "secondary", "secondary"))
			.assertNext((last) -> assertThat(last.attempts()).extracting("outcome").containsExactly("timeout", "success"))
			.verifyComplete();
	}

	@Test
	void chunksWithoutTextDoNotStopTheFirstTokenTimeout() {
		// A provider that sends its role or model first but no text still owes a first token.
		this.fixture.failing("primary", Step.chunks("", "", "").every(Duration.ofSeconds(1)).thenHang());
		this.fixture.healthy("secondary", Step.chunks("quick"));
		FallbackEngine engine = this.fixture
			.chain((policy) -> policy.firstTokenTimeout(Duration.ofSeconds(3)).retryOn(java.util.List.of()), "primary",
					"secondary")
			.engine();

		StepVerifier.withVirtualTime(() -> engine.chatService().stream(ChatRequest.of("hi")), () -> this.fixture.time, 10)
			.expectSubscription()
			.expectNoEvent(Duration.ofMillis(2999))
			.thenAwait(Duration.ofMillis(1))
			.expectNext(ChatChunk.delta("quick", "secondary", "secondary"))
			.expectNextCount(1)
			.verifyComplete();
	}

	@Test
	void silenceBetweenChunksBeyondTheIdleTimeoutEndsTheStream() {
		this.fixture.failing("primary", Step.chunks("a", "b").thenHang());
		FallbackEngine engine = this.fixture.chain((policy) -> policy.idleTimeout(Duration.ofSeconds(20)), "primary")
			.engine();

		StepVerifier.withVirtualTime(() -> engine.chatService().stream(ChatRequest.of("hi")), () -> this.fixture.time, 10)
			.expectNext(ChatChunk.delta("a", "primary", "primary"), ChatChunk.delta("b", "primary", "primary"))
			.expectNoEvent(Duration.ofMillis(19_999))
			.thenAwait(Duration.ofMillis(1))
			.expectErrorSatisfies((error) -> {
				assertThat(error).isInstanceOf(StreamInterruptedException.class);
				assertThat(((StreamInterruptedException) error).category()).isEqualTo(ErrorCategory.TIMEOUT);
				assertThat(error.getMessage()).contains("idle-timeout");
			})
			.verify();
	}

	@Test
	void aStreamThatEndsWithNothingIsAnInvalidResponseAndFallsBack() {
		this.fixture.failing("primary", Step.chunks().finishReason(null));
		this.fixture.healthy("secondary", Step.chunks("ok"));
		FallbackEngine engine = this.fixture.chain((policy) -> policy.retryOn(java.util.List.of()), "primary", "secondary")
			.engine();

		StepVerifier.withVirtualTime(() -> engine.chatService().stream(ChatRequest.of("hi")), () -> this.fixture.time, 10)
			.expectNext(ChatChunk.delta("ok", "secondary", "secondary"))
			.assertNext((last) -> assertThat(last.attempts()).extracting("outcome")
				.containsExactly("invalid_response", "success"))
			.verifyComplete();
	}

	@Test
	void whenEveryModelFailsBeforeItsFirstChunkTheStreamFailsExhausted() {
		this.fixture.failing("primary", Step.fail(ErrorCategory.CONNECTION));
		this.fixture.failing("secondary", Step.fail(ErrorCategory.NOT_FOUND).status(404));
		FallbackEngine engine = this.fixture.chain("primary", "secondary").engine();

		StepVerifier.withVirtualTime(() -> engine.chatService().stream(ChatRequest.of("hi")), () -> this.fixture.time, 10)
			.expectErrorSatisfies((error) -> {
				assertThat(error).isInstanceOf(FallbackExhaustedException.class);
				assertThat(((FallbackExhaustedException) error).category()).isEqualTo(ErrorCategory.NOT_FOUND);
			})
			.verify();
	}

	@Test
	void theDeadlineBoundsAStreamUntilItsFirstChunk() {
		this.fixture.failing("primary", Step.chunks("late").after(Duration.ofSeconds(9)));
		this.fixture.failing("secondary", Step.chunks("late too").after(Duration.ofSeconds(9)));
		FallbackEngine engine = this.fixture
			.chain((policy) -> policy.firstTokenTimeout(Duration.ofSeconds(8)).deadline(Duration.ofSeconds(12))
				.retryOn(java.util.List.of()), "primary", "secondary")
			.engine();

		StepVerifier.withVirtualTime(() -> engine.chatService().stream(ChatRequest.of("hi")), () -> this.fixture.time, 10)
			.expectSubscription()
			.expectNoEvent(Duration.ofMillis(11_999))
			.thenAwait(Duration.ofMillis(1))
			.expectErrorSatisfies((error) -> {
				assertThat(((FallbackExhaustedException) error).deadlineExceeded()).isTrue();
				assertThat(((FallbackExhaustedException) error).attempts()).extracting("outcome")
					.containsExactly("timeout", "timeout");
			})
			.verify();
	}

}
