package dev.llmfallback.engine;

import java.time.Duration;
import java.util.function.Function;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

import dev.llmfallback.ChatChunk;
import dev.llmfallback.ChatRequest;

/**
 * A stream raced against its hedge: if the stream has sent no chunk when the hedge's wait is over,
 * the walk may start a second stream; the first to send a chunk wins ({@link RequestWalk#claimStream})
 * and the other is cancelled at once (its upstream connection closed). From then on the winner is
 * an ordinary stream: a failure after its first chunk ends it with the walk's explicit error.
 */
final class HedgedStreams {

	/** Ends the race so that the walk's next call starts; never reaches the caller. */
	private static final class GoOn extends RuntimeException {

		private static final long serialVersionUID = 1L;

		GoOn() {
			super("go on with the walk", null, false, false);
		}

	}

	private static final GoOn GO_ON = new GoOn();

	/** Builds one attempt's chunks; errors are left to the caller. */
	interface Attempt {

		Flux<ChatChunk> chunks(RequestWalk<ChatRequest> walk, Call call, StreamProgress progress);

	}

	private final EngineClock clock;

	HedgedStreams(EngineClock clock) {
		this.clock = clock;
	}

	Flux<ChatChunk> race(RequestWalk<ChatRequest> walk, Call call, Hedge hedge, long afterNanos, Attempt attempt,
			Function<RequestWalk<ChatRequest>, Flux<ChatChunk>> next) {
		Sinks.Empty<Void> firstLost = Sinks.empty();
		Sinks.Empty<Void> secondLost = Sinks.empty();
		Flux<ChatChunk> hedged = Mono.delay(Duration.ofNanos(call.delayNanos() + afterNanos), this.clock.scheduler())
			.flatMapMany((tick) -> {
				Call second = walk.hedge(call, hedge);
				return (second != null) ? leg(walk, second, attempt, secondLost, firstLost) : Flux.<ChatChunk>empty();
			});
		return Flux.merge(leg(walk, call, attempt, firstLost, secondLost), hedged)
			.onErrorResume(GoOn.class::isInstance, (goOn) -> next.apply(walk));
	}

	private Flux<ChatChunk> leg(RequestWalk<ChatRequest> walk, Call call, Attempt attempt, Sinks.Empty<Void> lost,
			Sinks.Empty<Void> otherLost) {
		StreamProgress progress = new StreamProgress(call.model());
		return attempt.chunks(walk, call, progress)
			.filter((chunk) -> walk.claimStream(call))
			.doOnNext((chunk) -> otherLost.tryEmitEmpty())
			.takeUntilOther(lost.asMono())
			.onErrorResume((error) -> {
				if (walk.isStreamWinner(call)) { // its chunks reached the caller: no fallback any more
					return Flux.error(walk.onStreamInterrupted(call, progress.delivered(), error));
				}
				return switch (walk.onHedgedFailure(call, error)) {
					case WAIT -> Flux.empty();
					case NEXT -> Flux.error(GO_ON);
					case STOP -> Flux.error((walk.failure() != null) ? walk.failure() : error);
				};
			});
	}

}
