package dev.llmfallback.engine;

import java.time.Duration;
import java.util.List;
import java.util.function.Function;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import dev.llmfallback.Attempt;

/**
 * A one-answer call raced against its hedge: the call starts as usual; if it has not answered when
 * the hedge's wait is over, the walk may start a second call ({@link RequestWalk#hedge}); the first
 * answer wins and the other call is cancelled at once (its upstream connection closed). A failure
 * while the other call runs is recorded and waited out, unless it ends the request (then the other
 * is cancelled too); the failure of the last call in flight lets the walk go on as usual.
 *
 * @param <R> the request type
 * @param <A> what a provider answers
 * @param <T> what the caller gets
 */
final class HedgedCalls<R, A, T> {

	/** Ends the race so that the walk's next call starts; never reaches the caller. */
	private static final class GoOn extends RuntimeException {

		private static final long serialVersionUID = 1L;

		GoOn() {
			super("go on with the walk", null, false, false);
		}

	}

	private static final GoOn GO_ON = new GoOn();

	private final EngineClock clock;

	private final CallDriver<R, A, T> driver;

	HedgedCalls(EngineClock clock, CallDriver<R, A, T> driver) {
		this.clock = clock;
		this.driver = driver;
	}

	/**
	 * @param walk the walk
	 * @param call the call to make, maybe hedged
	 * @param hedge the policy's hedging
	 * @param afterNanos how long the call may go unanswered before a hedge starts
	 * @param next what follows when the walk goes on after the race
	 * @return the answer
	 */
	Mono<T> race(RequestWalk<R> walk, Call call, Hedge hedge, long afterNanos, Function<RequestWalk<R>, Mono<T>> next) {
		Mono<T> hedged = Mono.delay(Duration.ofNanos(call.delayNanos() + afterNanos), this.clock.scheduler())
			.flatMap((tick) -> {
				Call second = walk.hedge(call, hedge);
				return (second != null) ? leg(walk, second) : Mono.<T>empty();
			});
		return Flux.merge(leg(walk, call), hedged)
			.next()
			.switchIfEmpty(Mono.defer(() -> (walk.failure() != null) ? Mono.error(walk.failure()) : Mono.empty()))
			.onErrorResume(GoOn.class::isInstance, (goOn) -> next.apply(walk));
	}

	private Mono<T> leg(RequestWalk<R> walk, Call call) {
		boolean hedge = call.kind() == dev.llmfallback.AttemptKind.HEDGE; // started by RequestWalk#hedge
		Mono<A> answer = Mono.defer(() -> {
			if (!hedge) {
				walk.started(call);
			}
			else if (walk.isDone()) {
				return Mono.empty();
			}
			return this.driver.send(call, walk.request());
		}).switchIfEmpty(Mono.error(() -> Failures.noAnswer(call.model())))
			.timeout(call.timeout(), Failures.timedOut(), this.clock.scheduler());
		if (call.delayNanos() > 0) {
			answer = Mono.delay(Duration.ofNanos(call.delayNanos()), this.clock.scheduler()).then(answer);
		}
		return answer.<T>handle((value, sink) -> {
			List<Attempt> attempts = walk.onHedgedSuccess(call, this.driver.responseModel(value),
					this.driver.usage(value));
			if (attempts != null) {
				sink.next(this.driver.answer(value, call, attempts));
			}
		}).onErrorResume((error) -> switch (walk.onHedgedFailure(call, error)) {
			case WAIT -> Mono.empty();
			case NEXT -> Mono.error(GO_ON);
			case STOP -> Mono.error((walk.failure() != null) ? walk.failure() : error);
		});
	}

}
