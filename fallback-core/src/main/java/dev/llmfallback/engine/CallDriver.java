package dev.llmfallback.engine;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import dev.llmfallback.Attempt;
import dev.llmfallback.AttemptKind;
import dev.llmfallback.Usage;

/**
 * Runs a one-answer operation over the {@link RequestWalk}: asks the walk for the next call, sends
 * it under the call's delay and timeout on the engine's clock, reports the outcome, and asks again
 * until an answer or the walk's end. A subclass says only how to send a request to a model and how
 * to build the answer, so each operation (chat; embeddings later) is one small class.
 *
 * @param <R> the request type
 * @param <A> what a provider answers
 * @param <T> what the caller gets
 */
abstract class CallDriver<R, A, T> {

	private final WalkContext context;

	private final Operation<R> operation;

	private final HedgedCalls<R, A, T> hedged;

	CallDriver(WalkContext context, Operation<R> operation) {
		this.context = context;
		this.operation = operation;
		this.hedged = new HedgedCalls<>(context.clock(), this);
	}

	/** Walks the policy for one request, lazily on subscription. */
	final Mono<T> run(CompiledPolicy policy, R request) {
		return Mono.defer(() -> {
			RequestWalk<R> walk = new RequestWalk<>(this.context, policy, this.operation, request);
			return next(walk).doOnCancel(walk::cancel);
		});
	}

	private Mono<T> next(RequestWalk<R> walk) {
		Call call = walk.next();
		if (call == null) {
			return Mono.error(Objects.requireNonNull(walk.failure(), "a walk that ends says why"));
		}
		Hedge hedge = walk.hedging();
		if (hedge != null && call.kind() != AttemptKind.HEDGE) {
			long after = hedge.delayNanos(call);
			if (after >= 0) {
				return this.hedged.race(walk, call, hedge, after, this::next);
			}
		}
		ModelRuntime model = call.model();
		Mono<A> answer = Mono.defer(() -> {
			walk.started(call);
			return send(call, walk.request());
		}).switchIfEmpty(Mono.error(() -> Failures.noAnswer(model))).timeout(call.timeout(), Failures.timedOut(), this.context.clock().scheduler());
		if (call.delayNanos() > 0) {
			answer = Mono.delay(Duration.ofNanos(call.delayNanos()), this.context.clock().scheduler()).then(answer);
		}
		return answer.map((value) -> {
			check(value, call);
			return answer(value, call, walk.onSuccess(call, responseModel(value), usage(value)));
		})
			.onErrorResume((error) -> {
				if (walk.isDone()) {
					return Mono.error(error);
				}
				walk.onFailure(call, error);
				return next(walk);
			});
	}

	/**
	 * The call to one model, cold: it is subscribed once the walk has recorded the call's start.
	 * @param call the call: its model, and the deployment to send it to
	 * @param request the request
	 * @return the provider's answer
	 */
	abstract Mono<A> send(Call call, R request);

	/**
	 * Refuses an answer the caller could not use although its provider sent it whole; the walk then
	 * treats the call as failed (retry or hop). Nothing to check by default.
	 * @param answer the provider's answer
	 * @param call the call that answered
	 * @throws dev.llmfallback.LlmException for an unusable answer
	 */
	void check(A answer, Call call) {
	}

	/** @return the model id the provider reported, or {@code null} */
	abstract @Nullable String responseModel(A answer);

	/** @return the tokens the provider reported, or {@code null} */
	abstract @Nullable Usage usage(A answer);

	/**
	 * Builds the caller's answer.
	 * @param answer the provider's answer
	 * @param call the call that answered
	 * @param attempts the walk's attempts, the last one this success
	 * @return the answer
	 */
	abstract T answer(A answer, Call call, List<Attempt> attempts);

}
