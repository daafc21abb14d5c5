package dev.llmfallback.engine;

import java.util.List;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

import io.micrometer.common.KeyValue;
import io.micrometer.observation.Observation;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Operators;
import reactor.util.context.Context;

import dev.llmfallback.Attempt;
import dev.llmfallback.ErrorCategory;
import dev.llmfallback.LlmException;
import dev.llmfallback.observation.FallbackObservationContext;

/**
 * Observes one request as a single subscriber between the caller and the engine: it exposes the
 * request's observation in the Reactor context, records who served the request from the value that
 * ends it, and stops the observation exactly once, before the caller sees how the request ended.
 * <p>
 * It replaces a {@code deferContextual}, four peeks and a {@code contextWrite}: one object per request
 * instead of a dozen, and one hop per chunk instead of five, which a gateway streaming thousands of
 * answers feels. A failing observation handler never changes the caller's answer; its error goes to
 * Reactor's dropped-error hook.
 */
final class ObservedSubscriber<T> implements CoreSubscriber<T>, Subscription {

	@SuppressWarnings("rawtypes")
	private static final AtomicIntegerFieldUpdater<ObservedSubscriber> STOPPED = AtomicIntegerFieldUpdater
		.newUpdater(ObservedSubscriber.class, "stopped");

	private final CoreSubscriber<? super T> actual;

	private final Context context;

	private final Observation observation;

	private final FallbackObservationContext request;

	private final RequestOutcome<T> outcome;

	private @Nullable Subscription upstream;

	// Cancellation may race with the end of the request on another thread.
	private volatile int stopped;

	ObservedSubscriber(CoreSubscriber<? super T> actual, Observation observation, FallbackObservationContext request,
			RequestOutcome<T> outcome) {
		this.actual = actual;
		this.observation = observation;
		this.request = request;
		this.outcome = outcome;
		this.context = actual.currentContext().put(RequestObservations.OBSERVATION_KEY, observation);
	}

	@Override
	public Context currentContext() {
		return this.context;
	}

	@Override
	public void onSubscribe(Subscription subscription) {
		if (Operators.validate(this.upstream, subscription)) {
			this.upstream = subscription;
			this.actual.onSubscribe(this);
		}
	}

	@Override
	public void onNext(T value) {
		if (this.outcome.ends(value) && stopOnce()) {
			this.request.setOutcome(Attempt.SUCCESS);
			this.request.setServedBy(this.outcome.servedBy(value));
			List<Attempt> attempts = this.outcome.attempts(value);
			if (attempts != null) {
				this.request.setAttempts(attempts);
			}
			stopObservation(null);
		}
		this.actual.onNext(value);
	}

	@Override
	public void onError(Throwable error) {
		if (stopOnce()) {
			if (error instanceof LlmException failure) {
				this.request.setOutcome(failure.category().id());
				this.request.setAttempts(failure.attempts());
			}
			else {
				this.request.setOutcome(KeyValue.NONE_VALUE);
			}
			stopObservation(error);
		}
		this.actual.onError(error);
	}

	@Override
	public void onComplete() {
		if (stopOnce()) {
			stopObservation(null);
		}
		this.actual.onComplete();
	}

	@Override
	public void request(long n) {
		upstream().request(n);
	}

	@Override
	public void cancel() {
		if (stopOnce()) {
			this.request.setOutcome(ErrorCategory.CANCELLED.id());
			stopObservation(null);
		}
		upstream().cancel();
	}

	private boolean stopOnce() {
		return STOPPED.compareAndSet(this, 0, 1);
	}

	private void stopObservation(@Nullable Throwable error) {
		try {
			if (error != null) {
				this.observation.error(error);
			}
			this.observation.stop();
		}
		catch (RuntimeException handlerFailure) {
			Operators.onErrorDropped(handlerFailure, this.context);
		}
	}

	private Subscription upstream() {
		Subscription subscription = this.upstream;
		if (subscription == null) {
			throw new IllegalStateException("request(n) or cancel() before onSubscribe");
		}
		return subscription;
	}

}
