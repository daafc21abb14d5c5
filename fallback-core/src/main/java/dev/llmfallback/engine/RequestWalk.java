package dev.llmfallback.engine;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.springframework.util.backoff.BackOffExecution;

import dev.llmfallback.Attempt;
import dev.llmfallback.AttemptKind;
import dev.llmfallback.ChatChunk;
import dev.llmfallback.ChatRequest;
import dev.llmfallback.ChatResponse;
import dev.llmfallback.ErrorCategory;
import dev.llmfallback.FallbackExhaustedException;
import dev.llmfallback.LlmException;
import dev.llmfallback.SkipReason;
import dev.llmfallback.StreamInterruptedException;
import dev.llmfallback.Usage;
import dev.llmfallback.event.AttemptEvent;
import dev.llmfallback.event.HopEvent;
import dev.llmfallback.event.RequestCompletedEvent;
import dev.llmfallback.provider.ProviderResponse;

/**
 * One request's walk along its policy's chain: decides which model to call next, after what delay
 * and with what timeout, records every attempt, and ends the request. It holds no reactive code:
 * {@link FallbackEngine} asks it for the {@link #next() next call}, runs the call, and reports the
 * outcome back.
 *
 * <p>Signals of one request arrive in sequence, but a caller's cancellation can race with them, so
 * every entry point is synchronized (uncontended in the normal case).
 */
final class RequestWalk {

	private final EngineClock clock;

	private final EventPublisher events;

	private final TokenEstimator tokens;

	final CompiledPolicy policy;

	final ChatRequest request;

	final boolean streaming;

	private final long startedAt;

	private final long deadline;

	private final List<Attempt> attempts = new ArrayList<>(2);

	/** The list being walked: the chain, or a fallback list a failure rerouted to. */
	private List<ModelRuntime> candidates;

	private int position;

	private final List<ModelRuntime> visited = new ArrayList<>(4);

	/** Models skipped because they were cooling down, in case every model is. */
	private List<ModelRuntime> cooling;

	private boolean forcedThroughCooldown;

	/** The model most recently reached; the next hop leaves from it. */
	private ModelRuntime current;

	private String hopReason;

	private BackOffExecution backOff;

	private long pendingRetryDelay = -1;

	private int calls;

	private int promptTokens = -1;

	private LlmException lastError;

	private Call inFlight;

	private boolean done;

	private LlmException failure;

	RequestWalk(EngineClock clock, EventPublisher events, TokenEstimator tokens, CompiledPolicy policy,
			ChatRequest request, boolean streaming) {
		this.clock = clock;
		this.events = events;
		this.tokens = tokens;
		this.policy = policy;
		this.request = request;
		this.streaming = streaming;
		this.startedAt = clock.nanoTime();
		this.deadline = this.startedAt + policy.policy.deadline().toNanos();
		this.candidates = policy.chain;
	}

	/** One call the engine is to make. */
	static final class Call {

		final ModelRuntime model;

		final AttemptKind kind;

		final long delayNanos;

		/** Bounds the call (for a stream: until its first chunk). */
		final Duration timeout;

		/** The half-open trial, or a call forced through a cooldown: its outcome decides the circuit. */
		final boolean trial;

		long startedAt;

		Call(ModelRuntime model, AttemptKind kind, long delayNanos, Duration timeout, boolean trial) {
			this.model = model;
			this.kind = kind;
			this.delayNanos = delayNanos;
			this.timeout = timeout;
			this.trial = trial;
		}

	}

	/**
	 * The next call to make, or {@code null} when the request is over; {@link #failure()} then says why.
	 */
	synchronized Call next() {
		if (this.done) {
			return null;
		}
		long now = this.clock.nanoTime();
		if (now - this.deadline >= 0) {
			return stop(deadlineExceeded());
		}
		if (this.pendingRetryDelay >= 0) {
			long delay = this.pendingRetryDelay;
			this.pendingRetryDelay = -1;
			return call(this.current, AttemptKind.RETRY, delay, false, now);
		}
		while (this.position < this.candidates.size()) {
			ModelRuntime model = this.candidates.get(this.position++);
			if (this.visited.contains(model)) {
				continue;
			}
			if (this.calls >= this.policy.policy.maxAttempts()) {
				return stop(exhausted("max-attempts (" + this.policy.policy.maxAttempts() + ") reached"));
			}
			this.visited.add(model);
			AttemptKind kind = this.attempts.isEmpty() ? AttemptKind.PRIMARY : AttemptKind.FALLBACK;
			reach(model);
			if (!fits(model)) {
				skip(model, kind, SkipReason.CONTEXT_WINDOW);
				this.hopReason = ErrorCategory.CONTEXT_WINDOW_EXCEEDED.id();
				rerouteForContextWindow(model);
				continue;
			}
			ModelCircuit.Admission admission = model.circuit.tryAcquire(now);
			if (admission == ModelCircuit.Admission.COOLING) {
				skip(model, kind, SkipReason.COOLDOWN);
				if (this.cooling == null) {
					this.cooling = new ArrayList<>(2);
				}
				this.cooling.add(model);
				this.hopReason = HopEvent.COOLDOWN;
				continue;
			}
			return call(model, kind, 0, admission == ModelCircuit.Admission.TRIAL, now);
		}
		if (this.calls == 0 && this.cooling != null && !this.forcedThroughCooldown) {
			// Every candidate is cooling down: try the one that recovers first rather than fail unheard.
			this.forcedThroughCooldown = true;
			ModelRuntime soonest = this.cooling.get(0);
			for (ModelRuntime model : this.cooling) {
				if (model.circuit.coolingEndsAt() - soonest.circuit.coolingEndsAt() < 0) {
					soonest = model;
				}
			}
			AttemptKind kind = this.attempts.get(0).model().equals(soonest.name) ? AttemptKind.PRIMARY
					: AttemptKind.FALLBACK;
			reach(soonest);
			return call(soonest, kind, 0, true, now);
		}
		return stop(exhausted((this.lastError != null) ? "every model failed or was skipped"
				: "no model could take the request"));
	}

	private Call call(ModelRuntime model, AttemptKind kind, long delay, boolean trial, long now) {
		long remaining = this.deadline - now - delay;
		if (remaining <= 0) {
			if (trial) {
				model.circuit.releaseTrial();
			}
			return stop(deadlineExceeded());
		}
		Duration timeout = model.timeout(this.policy.policy.timeout());
		if (this.streaming && this.policy.policy.firstTokenTimeout().compareTo(timeout) < 0) {
			timeout = this.policy.policy.firstTokenTimeout();
		}
		if (remaining < timeout.toNanos()) {
			timeout = Duration.ofNanos(remaining);
		}
		return new Call(model, kind, delay, timeout, trial);
	}

	/** Moving to another model is a hop; it leaves from the model reached last. */
	private void reach(ModelRuntime model) {
		if (this.current != null && this.current != model && this.events.hasListeners()) {
			this.events.publish(new HopEvent(this.policy.name, this.current.name, model.name, this.hopReason));
		}
		if (this.current != model) {
			this.current = model;
			this.backOff = null;
		}
	}

	private boolean fits(ModelRuntime model) {
		if (model.maxInputTokens == 0) {
			return true;
		}
		if (this.promptTokens < 0) {
			// Most prompts are far smaller than any window: prove it without tokenizing.
			if (TokenEstimator.upperBound(this.request) <= this.policy.smallestWindow) {
				return true;
			}
			this.promptTokens = this.tokens.estimate(this.request);
		}
		return this.promptTokens <= model.maxInputTokens;
	}

	private void rerouteForContextWindow(ModelRuntime tooSmall) {
		if (!this.policy.contextWindowFallbacks.isEmpty()) {
			reroute(this.policy.contextWindowFallbacks);
			return;
		}
		List<ModelRuntime> larger = new ArrayList<>();
		for (int i = this.position; i < this.candidates.size(); i++) {
			ModelRuntime model = this.candidates.get(i);
			if (model.mayHoldMoreThan(tooSmall)) {
				larger.add(model);
			}
		}
		reroute(larger);
	}

	private void reroute(List<ModelRuntime> models) {
		this.candidates = models;
		this.position = 0;
	}

	private void skip(ModelRuntime model, AttemptKind kind, SkipReason reason) {
		Attempt attempt = Attempt.skipped(model.name, model.providerName, kind, reason);
		this.attempts.add(attempt);
		publishAttempt(model, attempt, null, null, null);
	}

	synchronized void started(Call call) {
		this.calls++;
		call.startedAt = this.clock.nanoTime();
		this.inFlight = call;
	}

	synchronized boolean isDone() {
		return this.done;
	}

	synchronized LlmException failure() {
		return this.failure;
	}

	synchronized ChatResponse onSuccess(Call call, ProviderResponse response) {
		succeeded(call, response.providerModel(), response.usage());
		complete(call.model.name, Attempt.SUCCESS, null);
		return new ChatResponse(response.content(), response.finishReason(), call.model.name, call.model.providerName,
				response.providerModel(), response.usage(), this.attempts);
	}

	synchronized ChatChunk onStreamComplete(Call call, StreamProgress progress) {
		succeeded(call, progress.providerModel, progress.usage);
		complete(call.model.name, Attempt.SUCCESS, null);
		return new ChatChunk("", progress.finishReason, progress.usage, call.model.name, call.model.providerName,
				progress.providerModel, this.attempts);
	}

	private void succeeded(Call call, String responseModel, Usage usage) {
		this.inFlight = null;
		Attempt attempt = Attempt.success(call.model.name, call.model.providerName, call.kind, elapsed(call));
		this.attempts.add(attempt);
		publishAttempt(call.model, attempt, responseModel, usage, null);
		call.model.circuit.onSuccess(call.trial);
	}

	/**
	 * Records a failed call and decides what follows: a retry of the same model, a hop, or the end
	 * of the request. The engine then asks {@link #next()}.
	 */
	synchronized void onFailure(Call call, Throwable signalled) {
		if (this.done) {
			return;
		}
		LlmException error = failed(call, signalled, timeoutText(call, false));
		ErrorCategory category = error.category();
		long now = this.clock.nanoTime();
		if (category == ErrorCategory.CANCELLED) {
			stop(error.toBuilder().attempts(this.attempts).build());
			return;
		}
		if (shouldRetry(call, error, now)) {
			return;
		}
		if (!this.policy.fallsBackOn(category)
				|| (category == ErrorCategory.CONTENT_POLICY && this.policy.contentPolicyFallbacks.isEmpty())) {
			// The request's own problem (or a policy that says stop): no other model is tried.
			stop(error.toBuilder().message(error.getMessage() + " (not retried on another model; tried: "
					+ Attempt.describe(this.attempts) + ")").attempts(this.attempts).build());
			return;
		}
		this.hopReason = category.id();
		if (category == ErrorCategory.CONTEXT_WINDOW_EXCEEDED) {
			rerouteForContextWindow(call.model);
		}
		else if (category == ErrorCategory.CONTENT_POLICY) {
			reroute(this.policy.contentPolicyFallbacks);
		}
	}

	private boolean shouldRetry(Call call, LlmException error, long now) {
		// Cooldowns decide which models a request reaches; retries decide how often the model reached
		// is called. A trial is a single probe, though: a failed one is not retried.
		if (call.trial || !this.policy.retries(error) || this.calls >= this.policy.policy.maxAttempts()) {
			return false;
		}
		Duration retryAfter = error.retryAfter();
		if (retryAfter != null && retryAfter.compareTo(this.policy.policy.retry().maxRetryAfter()) > 0) {
			return false; // waiting that long is worse than another model now
		}
		if (this.backOff == null) {
			this.backOff = this.policy.retryPolicy.getBackOff().start();
		}
		long backOffMillis = this.backOff.nextBackOff();
		if (backOffMillis == BackOffExecution.STOP) {
			return false;
		}
		long delay = Duration.ofMillis(backOffMillis).toNanos();
		if (retryAfter != null && retryAfter.toNanos() > delay) {
			delay = retryAfter.toNanos();
		}
		if (now + delay - this.deadline >= 0) {
			return false; // the retry could not start before the deadline; another model can now
		}
		this.pendingRetryDelay = delay;
		return true;
	}

	/** A stream failed after its first chunk reached the caller: no fallback is possible any more. */
	synchronized LlmException onStreamInterrupted(Call call, StreamProgress progress, Throwable signalled) {
		if (this.done) {
			return this.failure;
		}
		LlmException error = failed(call, signalled, timeoutText(call, true));
		stop(new StreamInterruptedException(error, this.attempts, progress.delivered));
		return this.failure;
	}

	private LlmException failed(Call call, Throwable signalled, String timeoutText) {
		this.inFlight = null;
		LlmException error = Failures.classify(signalled, call.model, timeoutText);
		Attempt attempt = Attempt.failure(call.model.name, call.model.providerName, call.kind, error, elapsed(call));
		this.attempts.add(attempt);
		this.lastError = error;
		publishAttempt(call.model, attempt, null, null, error);
		call.model.circuit.onFailure(error, call.trial, this.policy.policy.cooldown(),
				this.policy.policy.retry().maxRetryAfter(), this.clock.nanoTime());
		return error;
	}

	private String timeoutText(Call call, boolean afterFirstChunk) {
		if (afterFirstChunk) {
			return "sent nothing for " + this.policy.policy.idleTimeout() + " (idle-timeout)";
		}
		return this.streaming ? "sent no first chunk within " + call.timeout : "did not answer within " + call.timeout;
	}

	/** The caller cancelled: record the call in flight as cancelled and start nothing more. */
	synchronized void cancel() {
		if (this.done) {
			return;
		}
		Call call = this.inFlight;
		LlmException cancelled = LlmException.builder(ErrorCategory.CANCELLED)
			.message("Request cancelled by the caller")
			.build();
		if (call != null) {
			this.inFlight = null;
			Attempt attempt = Attempt.failure(call.model.name, call.model.providerName, call.kind, cancelled,
					elapsed(call));
			this.attempts.add(attempt);
			if (call.trial) {
				call.model.circuit.releaseTrial();
			}
			publishAttempt(call.model, attempt, null, null, cancelled);
		}
		stop(cancelled.toBuilder().attempts(this.attempts).build());
	}

	private LlmException exhausted(String reason) {
		ErrorCategory category;
		if (this.lastError != null) {
			category = this.lastError.category();
		}
		else if (this.promptTokens >= 0) {
			category = ErrorCategory.CONTEXT_WINDOW_EXCEEDED;
			reason = "the prompt's " + this.promptTokens + " estimated tokens fit no model's context window";
		}
		else {
			category = ErrorCategory.SERVICE_UNAVAILABLE;
		}
		return new FallbackExhaustedException(this.policy.name, category, reason, this.attempts, this.lastError,
				false);
	}

	/** Whatever the last attempt's error, a request that ran out of time failed as a timeout. */
	private LlmException deadlineExceeded() {
		return new FallbackExhaustedException(this.policy.name, ErrorCategory.TIMEOUT,
				"its deadline of " + this.policy.policy.deadline() + " passed", this.attempts, this.lastError, true);
	}

	private Call stop(LlmException failure) {
		this.done = true;
		this.failure = failure;
		this.pendingRetryDelay = -1;
		complete(null, failure.category().id(), failure);
		return null;
	}

	private void complete(String servedBy, String outcome, LlmException error) {
		this.done = true;
		if (this.events.hasListeners()) {
			this.events.publish(new RequestCompletedEvent(this.policy.name, servedBy, outcome, this.attempts,
					Attempt.hops(this.attempts), Duration.ofNanos(this.clock.nanoTime() - this.startedAt), error, this.streaming));
		}
	}


	private Duration elapsed(Call call) {
		return Duration.ofNanos(Math.max(0, this.clock.nanoTime() - call.startedAt));
	}

	private void publishAttempt(ModelRuntime model, Attempt attempt, String responseModel, Usage usage,
			LlmException error) {
		if (this.events.hasListeners()) {
			this.events.publish(new AttemptEvent(this.policy.name, attempt, model.provider.type(),
					model.definition.model(), responseModel, usage, error, this.streaming));
		}
	}

	/** What a stream attempt has seen so far. Touched only by that attempt's serial signals. */
	static final class StreamProgress {

		long delivered;

		String finishReason;

		String providerModel;

		Usage usage;

		/** Until the first text chunk, the first-token timeout runs to this moment. */
		long firstChunkDeadline;

		boolean committed() {
			return this.delivered > 0;
		}

	}

}
