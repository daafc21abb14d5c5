package dev.llmfallback.engine;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

import dev.llmfallback.Attempt;
import dev.llmfallback.AttemptKind;
import dev.llmfallback.ErrorCategory;
import dev.llmfallback.LlmException;
import dev.llmfallback.StreamInterruptedException;
import dev.llmfallback.Usage;
import dev.llmfallback.event.HedgeEvent;

/**
 * One request's walk, written once for every operation: the request's deadline around the chain,
 * the chain around one model's retries, the retries around one attempt. It decides which model to
 * call next, after what delay and with what timeout, and ends the request; it holds no reactive
 * code and knows nothing of what the request carries. A driver ({@link ChatCallDriver},
 * {@link ChatStreamDriver}) asks it for the {@link #next() next call}, runs the call, reports the
 * outcome back, and builds the answer itself.
 *
 * <p>The state lives where it belongs: the chain's cursor in {@link ChainCursor}, the current
 * model's back-off in {@link ModelRetries}, the attempts and events in {@link WalkRecord}; this
 * class keeps the request's budget (deadline, calls made, the calls in flight, the end).
 *
 * <p>Calls in flight form a list through {@link Call#nextInFlight()}: today a walk has at most one,
 * and hedging will start a second while the first runs; {@link #cancel()} already ends them all.
 *
 * <p>Signals of one request arrive in sequence, but a caller's cancellation can race with them, so
 * every entry point is synchronized (uncontended in the normal case).
 *
 * <p>Longer than this project's classes usually are: hedging ({@link #hedge}, {@link #onHedgedSuccess},
 * {@link #onHedgedFailure}, {@link #claimStream}) needs the walk's lock, budget and in-flight list, so
 * its entry points live here; {@link HedgedCalls} and {@link HedgedStreams} drive them.
 *
 * @param <R> the request type, opaque to the walk except through its {@link Operation}
 */
final class RequestWalk<R> implements ChainCursor.PromptSize {

	private final EngineClock clock;

	private final @Nullable TokenEstimator tokens;

	private final CompiledPolicy policy;

	private final Operation<R> operation;

	private final R request;

	private final long deadline;

	private final WalkRecord record;

	private final ChainCursor cursor;

	/** Made on the first failure that may be retried. */
	private @Nullable ModelRetries retries;

	private int calls;

	private @Nullable Call inFlight;

	private boolean done;

	private @Nullable LlmException failure;

	/** The deployment of the last failed call, where a retry of its model starts from. */
	private @Nullable Deployment failedOn;

	/** A model to call again at once on another of its deployments. */
	private @Nullable ModelRuntime switchDeployment;

	/** Set by an error no retry can help: no hedge starts after it. */
	private boolean hedgeRefused;

	/** The stream whose chunks reach the caller, once one of a hedged walk's streams sent one. */
	private @Nullable Call streamWinner;

	/** The model whose call was hedged, once a hedge started. */
	private @Nullable ModelRuntime hedgedModel;

	RequestWalk(WalkContext context, CompiledPolicy policy, Operation<R> operation, R request) {
		this.clock = context.clock();
		this.tokens = context.tokens();
		this.policy = policy;
		this.operation = operation;
		this.request = request;
		long startedAt = this.clock.nanoTime();
		this.deadline = startedAt + policy.deadline().toNanos();
		this.record = new WalkRecord(this.clock, context.events(), policy.name(), operation.streaming(), operation.id(),
				startedAt);
		this.cursor = new ChainCursor(policy, this.record, operation.needs(request));
		if (policy.hedge() != null) {
			policy.hedge().onRequest(startedAt);
		}
	}

	/** @return the policy's hedging, or {@code null} when it never hedges */
	@Nullable Hedge hedging() {
		return this.policy.hedge();
	}

	R request() {
		return this.request;
	}

	/**
	 * The next call to make, or {@code null} when the request is over; {@link #failure()} then says why.
	 */
	synchronized @Nullable Call next() {
		if (this.done) {
			return null;
		}
		long now = this.clock.nanoTime();
		if (now - this.deadline >= 0) {
			return stop(this.record.deadlineExceeded(this.policy.deadline()));
		}
		ModelRuntime switched = this.switchDeployment;
		if (switched != null) {
			this.switchDeployment = null;
			Deployment deployment = this.cursor.retryDeployment(switched, Objects.requireNonNull(this.failedOn), now);
			if (deployment != null) {
				return call(switched, deployment, AttemptKind.RETRY, 0, false, now);
			}
		}
		ModelRetries retries = this.retries;
		ModelRuntime retried = (retries != null) ? retries.due() : null;
		if (retries != null && retried != null) {
			long delay = retries.takeDelay();
			Deployment deployment = this.cursor.retryDeployment(retried, Objects.requireNonNull(this.failedOn), now);
			if (deployment != null) {
				// Another deployment is another server: no reason to wait for the failed one's back-off.
				return call(retried, deployment, AttemptKind.RETRY, (deployment == this.failedOn) ? delay : 0, false,
						now);
			}
		}
		ModelRuntime model;
		while ((model = this.cursor.nextUnvisited()) != null) {
			if (this.calls >= this.policy.maxAttempts()) {
				return stop(this.record.exhausted("max-attempts (" + this.policy.maxAttempts() + ") reached",
						this.cursor.promptTokens(), this.cursor.unsupported()));
			}
			AttemptKind kind = this.record.isEmpty() ? AttemptKind.PRIMARY : AttemptKind.FALLBACK;
			ModelCircuit.Admission admission = this.cursor.admit(model, kind, this, now);
			if (admission != null) {
				return call(model, this.cursor.picked(), kind, 0, admission == ModelCircuit.Admission.TRIAL, now);
			}
		}
		ModelRuntime forced = (this.calls == 0) ? this.cursor.forceThroughCooldown() : null;
		if (forced != null) {
			AttemptKind kind = forced.name().equals(this.record.firstModel()) ? AttemptKind.PRIMARY
					: AttemptKind.FALLBACK;
			return call(forced, this.cursor.picked(), kind, 0, true, now);
		}
		return stop(this.record.exhausted((this.record.lastError() != null) ? "every model failed or was skipped"
				: "no model could take the request", this.cursor.promptTokens(), this.cursor.unsupported()));
	}

	private @Nullable Call call(ModelRuntime model, Deployment deployment, AttemptKind kind, long delay, boolean trial,
			long now) {
		long remaining = this.deadline - now - delay;
		if (remaining <= 0) {
			if (trial) {
				deployment.circuit().releaseTrial();
			}
			return stop(this.record.deadlineExceeded(this.policy.deadline()));
		}
		Duration timeout = model.timeout(this.policy.policy().timeout());
		if (this.operation.streaming() && this.policy.policy().firstTokenTimeout().compareTo(timeout) < 0) {
			timeout = this.policy.policy().firstTokenTimeout();
		}
		if (remaining < timeout.toNanos()) {
			timeout = Duration.ofNanos(remaining);
		}
		Call call = new Call(model, deployment, kind, delay, timeout, this.policy.policy().idleTimeout(), trial);
		call.droppedParams(this.cursor.droppedParams(model));
		return call;
	}

	/** The driver is about to send the call (after its delay). */
	synchronized void started(Call call) {
		if (call.isStarted()) {
			return; // a hedge, started when the walk made it
		}
		this.calls++;
		call.started(this.clock.nanoTime());
		call.deployment().callStarted();
		call.nextInFlight(this.inFlight);
		this.inFlight = call;
	}

	synchronized boolean isDone() {
		return this.done;
	}

	synchronized @Nullable LlmException failure() {
		return this.failure;
	}

	/**
	 * The call answered: the request is served.
	 * @param call the call
	 * @param responseModel the model id the provider reported, or {@code null}
	 * @param usage the tokens the provider reported, or {@code null}
	 * @return the walk's attempts, the last one this success
	 */
	synchronized List<Attempt> onSuccess(Call call, @Nullable String responseModel, @Nullable Usage usage) {
		ended(call);
		this.record.succeeded(call, responseModel, usage);
		Deployment deployment = call.deployment();
		if (deployment.observesCalls()) {
			long now = this.clock.nanoTime();
			deployment.callEnded(true, now - call.startedAt(), (usage != null) ? usage.totalTokens() : 0, now);
		}
		deployment.circuit().onSuccess(call.trial());
		this.done = true;
		this.record.served(call.model().name());
		return this.record.attempts();
	}

	/**
	 * Records a failed call and decides what follows: a retry of the same model, a hop, or the end
	 * of the request. The driver then asks {@link #next()}.
	 */
	synchronized void onFailure(Call call, Throwable signalled) {
		if (this.done) {
			return;
		}
		LlmException error = failed(call, signalled, timeoutText(call, false));
		ErrorCategory category = error.category();
		this.failedOn = call.deployment();
		if (category == ErrorCategory.CANCELLED) {
			stop(this.record.withAttempts(error));
			return;
		}
		boolean hops = this.policy.fallsBackOn(category)
				&& (category != ErrorCategory.CONTENT_POLICY || !this.policy.contentPolicyFallbacks().isEmpty());
		if (mayRetry(call, category, hops)) {
			if (category.cooldownEffect() != ErrorCategory.CooldownEffect.NONE
					&& this.cursor.hasUntriedDeployment(call.model(), this.clock.nanoTime())) {
				// The failure was the deployment's: the model's next healthy deployment is tried at once.
				this.switchDeployment = call.model();
				return;
			}
			if (this.retries == null) {
				this.retries = new ModelRetries(this.policy);
			}
			if (this.retries.scheduleRetry(call, error, this.clock.nanoTime(), this.deadline)) {
				return;
			}
		}
		if (!hops) {
			stop(this.record.notRetriedElsewhere(error));
			return;
		}
		this.cursor.hopAfter(call.model(), category);
	}

	/**
	 * Whether the calls left allow a retry: every model not yet tried keeps one call, so that
	 * max-attempts never cuts a chain short while retries could have been spared.
	 */
	private boolean mayRetry(Call call, ErrorCategory category, boolean hops) {
		int callsLeft = this.policy.maxAttempts() - this.calls;
		if (callsLeft <= 0 || call.trial()) {
			return false;
		}
		return !hops || callsLeft > this.cursor.modelsLeftToTry(this.clock.nanoTime());
	}

	/** A stream failed after its first chunk reached the caller: no fallback is possible any more. */
	synchronized LlmException onStreamInterrupted(Call call, long deliveredChunks, Throwable signalled) {
		if (!this.done) {
			LlmException error = failed(call, signalled, timeoutText(call, true));
			stop(new StreamInterruptedException(error, this.record.attempts(), deliveredChunks));
		}
		// Only a failure ends a walk while its stream still signals.
		return Objects.requireNonNull(this.failure);
	}

	private LlmException failed(Call call, Throwable signalled, String timeoutText) {
		ended(call);
		LlmException error = Failures.classify(signalled, call.model(), timeoutText);
		this.record.failed(call, error);
		long now = this.clock.nanoTime();
		call.deployment().callEnded(false, now - call.startedAt(), 0, now);
		call.deployment().circuit().onFailure(error, call.trial(), this.policy.policy().cooldown(),
				this.policy.policy().retry().maxRetryAfter(), now);
		if (!this.policy.retries(error)) {
			this.hedgeRefused = true; // never a hedge after an error that no retry can help
		}
		return error;
	}

	private String timeoutText(Call call, boolean afterFirstChunk) {
		if (afterFirstChunk) {
			return "sent nothing for " + call.idleTimeout() + " (idle-timeout)";
		}
		return this.operation.streaming() ? "sent no first chunk within " + call.timeout()
				: "did not answer within " + call.timeout();
	}

	/** The caller cancelled: record every call in flight as cancelled and start nothing more. */
	synchronized void cancel() {
		if (this.done) {
			return;
		}
		LlmException cancelled = LlmException.builder(ErrorCategory.CANCELLED)
			.message("Request cancelled by the caller")
			.build();
		abandonInFlight(null, cancelled);
		stop(this.record.withAttempts(cancelled));
	}

	/** Records every call in flight but {@code kept} as cancelled: the driver cancels them next. */
	private void abandonInFlight(@Nullable Call kept, LlmException cancelled) {
		long now = this.clock.nanoTime();
		for (Call call = this.inFlight; call != null; call = call.nextInFlight()) {
			if (call == kept) {
				continue;
			}
			this.record.failed(call, cancelled);
			call.deployment().callEnded(false, now - call.startedAt(), 0, now);
			if (call.trial()) {
				call.deployment().circuit().releaseTrial();
			}
		}
		this.inFlight = kept;
		if (kept != null) {
			kept.nextInFlight(null);
		}
	}

	// Hedging: a second call in flight (see HedgedCalls, which drives it).

	/**
	 * A hedge for a call that has not answered: the next model of the chain that can take the
	 * request, when the policy's budget and max-attempts allow, no hedge is in flight yet and no
	 * error made hedging pointless.
	 * @param hedged the call in flight
	 * @param hedge the policy's hedging
	 * @return the hedge to start, or {@code null}
	 */
	synchronized @Nullable Call hedge(Call hedged, Hedge hedge) {
		if (this.done || this.inFlight != hedged || hedged.nextInFlight() != null || this.hedgeRefused
				|| this.streamWinner != null || this.calls >= this.policy.maxAttempts()) {
			return null;
		}
		long now = this.clock.nanoTime();
		if (now - this.deadline >= 0 || this.cursor.modelsLeftToTry(now) == 0 || !hedge.tryHedge(now)) {
			return null;
		}
		this.cursor.hedging();
		ModelRuntime model;
		while ((model = this.cursor.nextUnvisited()) != null) {
			ModelCircuit.Admission admission = this.cursor.admit(model, AttemptKind.HEDGE, this, now);
			if (admission != null) {
				Call call = call(model, this.cursor.picked(), AttemptKind.HEDGE, 0,
						admission == ModelCircuit.Admission.TRIAL, now);
				if (call != null) {
					this.hedgedModel = hedged.model();
					started(call); // in flight at once, so that an answer of the first call abandons it
				}
				return call;
			}
		}
		return null;
	}

	/**
	 * A call of a hedged walk answered: it wins unless the walk already ended, and every other call
	 * in flight is recorded as cancelled (the driver cancels it at once).
	 * @return the walk's attempts, the last one this success, or {@code null} when it lost
	 */
	synchronized @Nullable List<Attempt> onHedgedSuccess(Call call, @Nullable String responseModel,
			@Nullable Usage usage) {
		if (this.done) {
			return null;
		}
		abandonInFlight(call, cancelledByWinner());
		if (this.hedgedModel != null) {
			this.record.hedged(this.hedgedModel,
					(call.kind() == AttemptKind.HEDGE) ? HedgeEvent.HEDGE : HedgeEvent.PRIMARY);
		}
		return onSuccess(call, responseModel, usage);
	}

	/**
	 * A call of a hedged walk failed.
	 * @return {@code WAIT} when another call is still in flight (the failure is recorded, the other
	 * may yet answer), {@code NEXT} when the walk decided what follows ({@link #next()}), {@code STOP}
	 * when the request is over (any other call in flight is recorded as cancelled)
	 */
	synchronized LegOutcome onHedgedFailure(Call call, Throwable signalled) {
		if (this.done) {
			return LegOutcome.STOP;
		}
		if (!isInFlight(call)) {
			return LegOutcome.WAIT; // it lost the race and was recorded as cancelled already
		}
		boolean alone = this.inFlight == call && call.nextInFlight() == null;
		if (alone) {
			onFailure(call, signalled);
			return this.done ? LegOutcome.STOP : LegOutcome.NEXT;
		}
		LlmException error = failed(call, signalled, timeoutText(call, false));
		ErrorCategory category = error.category();
		if (category != ErrorCategory.CANCELLED && this.policy.fallsBackOn(category)
				&& (category != ErrorCategory.CONTENT_POLICY || !this.policy.contentPolicyFallbacks().isEmpty())) {
			this.failedOn = call.deployment();
			return LegOutcome.WAIT;
		}
		// The request's own fault: the other call cannot do better.
		abandonInFlight(null, cancelledByWinner());
		stop((category == ErrorCategory.CANCELLED) ? this.record.withAttempts(error)
				: this.record.notRetriedElsewhere(error));
		return LegOutcome.STOP;
	}

	/**
	 * A stream of a hedged walk has its first chunk for the caller: the first stream to get here wins
	 * (every other call in flight is recorded as cancelled; the driver cancels it at once).
	 * @return whether this call's chunks reach the caller
	 */
	synchronized boolean claimStream(Call call) {
		if (this.streamWinner == call) {
			return true;
		}
		if (this.done || this.streamWinner != null) {
			return false;
		}
		this.streamWinner = call;
		abandonInFlight(call, cancelledByWinner());
		if (this.hedgedModel != null) {
			this.record.hedged(this.hedgedModel,
					(call.kind() == AttemptKind.HEDGE) ? HedgeEvent.HEDGE : HedgeEvent.PRIMARY);
		}
		return true;
	}

	synchronized boolean isStreamWinner(Call call) {
		return this.streamWinner == call;
	}

	private boolean isInFlight(Call call) {
		for (Call inFlight = this.inFlight; inFlight != null; inFlight = inFlight.nextInFlight()) {
			if (inFlight == call) {
				return true;
			}
		}
		return false;
	}

	private static LlmException cancelledByWinner() {
		return LlmException.builder(ErrorCategory.CANCELLED).message("Cancelled: the request was decided").build();
	}

	/** What a driver does after a hedged call failed. */
	enum LegOutcome {

		WAIT, NEXT, STOP

	}

	private void ended(Call call) {
		if (this.inFlight == call) {
			this.inFlight = call.nextInFlight();
			return;
		}
		for (Call before = this.inFlight; before != null; before = before.nextInFlight()) {
			if (before.nextInFlight() == call) {
				before.nextInFlight(call.nextInFlight());
				return;
			}
		}
	}

	private @Nullable Call stop(LlmException failure) {
		this.done = true;
		this.failure = failure;
		if (this.retries != null) {
			this.retries.cancel();
		}
		this.record.ended(failure);
		return null;
	}

	@Override
	public long upperBound() {
		return this.operation.tokenUpperBound(this.request);
	}

	@Override
	public int estimate() {
		return this.operation.estimateTokens(this.request, Objects.requireNonNull(this.tokens, "tokens"));
	}

	@Override
	public int images() {
		return this.operation.images(this.request);
	}

	@Override
	public List<String> unsupportedParams(ModelRuntime model) {
		return this.operation.unsupportedParams(model, this.request);
	}

}
