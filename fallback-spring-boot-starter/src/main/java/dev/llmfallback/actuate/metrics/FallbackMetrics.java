package dev.llmfallback.actuate.metrics;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import dev.llmfallback.Attempt;
import dev.llmfallback.AttemptKind;
import dev.llmfallback.ErrorCategory;
import dev.llmfallback.LlmException;
import dev.llmfallback.LlmException.ClassificationBasis;
import dev.llmfallback.event.AttemptEvent;
import dev.llmfallback.event.CooldownStartedEvent;
import dev.llmfallback.event.FallbackEvent;
import dev.llmfallback.event.FallbackEventListener;
import dev.llmfallback.event.HedgeEvent;
import dev.llmfallback.event.HopEvent;
import dev.llmfallback.event.RequestCompletedEvent;

/**
 * Records the engine's events as the {@code llm.fallback.*} meters:
 * <ul>
 * <li>{@value #ATTEMPTS} (counter; {@code policy}, {@code model}, {@code provider}, {@code kind},
 * {@code outcome}, {@code deployment}): every call of a model, and every model passed without a call,
 * whose outcome is then {@code skipped} (the hop that follows says why: {@code cooldown},
 * {@code capacity} or {@code context_window_exceeded}); {@code deployment} is the deployment called
 * ({@code provider/model}, one of the configured ones) or {@value #NONE} for a skip;</li>
 * <li>{@value #HEDGES} (counter; {@code policy}, {@code model}, {@code winner} {@code primary} or
 * {@code hedge}): hedged requests served, by the model whose call was hedged;</li>
 * <li>{@value #HOPS} (counter; {@code policy}, {@code from}, {@code to}, {@code reason});</li>
 * <li>{@value #REQUESTS} (timer; {@code policy}, {@code served.by}, {@code outcome},
 * {@code fallbacks} as {@code 0}, {@code 1}, {@code 2} or {@code 3+});</li>
 * <li>{@value #COOLDOWNS} (counter; {@code model}, {@code provider}, {@code reason},
 * {@code deployment}): cooldowns started (cooldowns are per deployment);</li>
 * <li>{@value #UNCLASSIFIED} (counter; {@code provider}, {@code status}): failed calls that only
 * their HTTP status could classify.</li>
 * </ul>
 * Tag values are configured names and ids of closed lists only ({@link ErrorCategory},
 * {@link AttemptKind}, HTTP statuses), so the number of series stays bounded.
 *
 * <p>Called on the engine's threads, often Reactor event loops, for every call: meters are
 * registered once and then found in per-name tables without allocation.
 *
 * <p>Over 300 lines: one listener turning each kind of the sealed event into its meters; a meter per
 * kind keeps each short.
 */
public final class FallbackMetrics implements FallbackEventListener {

	/** The counter of calls and skips. */
	public static final String ATTEMPTS = "llm.fallback.attempts";

	/** The counter of hops from one model to the next. */
	public static final String HOPS = "llm.fallback.hops";

	/** The timer of whole requests. */
	public static final String REQUESTS = "llm.fallback.requests";

	/** The counter of cooldowns started. */
	public static final String COOLDOWNS = "llm.fallback.cooldowns";

	/** The counter of hedged requests served. */
	public static final String HEDGES = "llm.fallback.hedges";

	/** The counter of failures only their HTTP status classified. */
	public static final String UNCLASSIFIED = "llm.fallback.unclassified";

	/** The {@code served.by} value of a request no model served. */
	public static final String NONE = "none";

	private static final ErrorCategory[] CATEGORIES = ErrorCategory.values();

	private static final AttemptKind[] KINDS = AttemptKind.values();

	private static final String[] FALLBACKS = { "0", "1", "2", "3+" };

	/** Attempt outcomes: success, skipped, then the categories in declaration order. */
	private static final int OUTCOMES = 2 + CATEGORIES.length;

	private final MeterRegistry registry;

	/** policy, then model, then deployment (or {@value #NONE} for skips). */
	private final Map<String, Map<String, Map<String, AttemptCounters>>> attempts = new ConcurrentHashMap<>();

	/** policy, then the serving model or {@value #NONE}. */
	private final Map<String, Map<String, RequestTimers>> requests = new ConcurrentHashMap<>();

	/** Hops, cooldowns and unclassified failures are rare: a key per event costs nothing that matters. */
	private final Map<HopKey, Counter> hops = new ConcurrentHashMap<>();

	private final Map<CooldownKey, Counter> cooldowns = new ConcurrentHashMap<>();

	private final Map<UnclassifiedKey, Counter> unclassified = new ConcurrentHashMap<>();

	private final Map<HedgeEvent, Counter> hedges = new ConcurrentHashMap<>();

	public FallbackMetrics(MeterRegistry registry) {
		this.registry = registry;
	}

	@Override
	public void onEvent(FallbackEvent event) {
		if (event instanceof AttemptEvent attempt) {
			onAttempt(attempt);
		}
		else if (event instanceof RequestCompletedEvent completed) {
			onRequestCompleted(completed);
		}
		else if (event instanceof HopEvent hop) {
			this.hops.computeIfAbsent(new HopKey(hop.policy(), hop.from(), hop.to(), hop.reason()), this::hopCounter)
				.increment();
		}
		else if (event instanceof HedgeEvent hedge) {
			this.hedges.computeIfAbsent(hedge, this::hedgeCounter).increment();
		}
		else if (event instanceof CooldownStartedEvent cooldown) {
			this.cooldowns
				.computeIfAbsent(new CooldownKey(cooldown.model(), cooldown.provider(), cooldown.reason(),
						(cooldown.deployment() != null) ? cooldown.deployment() : NONE),
						this::cooldownCounter)
				.increment();
		}
	}

	private void onAttempt(AttemptEvent event) {
		Attempt attempt = event.attempt();
		Map<String, Map<String, AttemptCounters>> byModel = this.attempts.get(event.policy());
		if (byModel == null) {
			byModel = this.attempts.computeIfAbsent(event.policy(), (policy) -> new ConcurrentHashMap<>());
		}
		Map<String, AttemptCounters> byDeployment = byModel.get(attempt.model());
		if (byDeployment == null) {
			byDeployment = byModel.computeIfAbsent(attempt.model(), (model) -> new ConcurrentHashMap<>());
		}
		String deployment = (event.deployment() != null) ? event.deployment() : NONE;
		AttemptCounters counters = byDeployment.get(deployment);
		if (counters == null) {
			counters = byDeployment.computeIfAbsent(deployment, (key) -> new AttemptCounters(event.policy(),
					attempt.model(), attempt.provider(), event.operation(), key));
		}
		LlmException error = event.error();
		int outcome;
		if (attempt.skipped()) {
			outcome = 1;
		}
		else if (error != null) {
			outcome = 2 + error.category().ordinal();
		}
		else {
			outcome = 0;
		}
		counters.get(attempt.kind(), outcome, attempt.outcome()).increment();
		if (error != null && error.basis() == ClassificationBasis.STATUS) {
			Integer status = error.httpStatus();
			this.unclassified
				.computeIfAbsent(new UnclassifiedKey(attempt.provider(), (status != null) ? status.toString() : NONE),
						this::unclassifiedCounter)
				.increment();
		}
	}

	private void onRequestCompleted(RequestCompletedEvent event) {
		String servedBy = (event.servedBy() != null) ? event.servedBy() : NONE;
		Map<String, RequestTimers> byServer = this.requests.get(event.policy());
		if (byServer == null) {
			byServer = this.requests.computeIfAbsent(event.policy(), (policy) -> new ConcurrentHashMap<>());
		}
		RequestTimers timers = byServer.get(servedBy);
		if (timers == null) {
			timers = byServer.computeIfAbsent(servedBy,
					(server) -> new RequestTimers(event.policy(), server, event.operation()));
		}
		int outcome = (event.error() != null) ? 1 + event.error().category().ordinal() : 0;
		Duration duration = event.duration();
		timers.get(outcome, Math.min(event.fallbacks(), FALLBACKS.length - 1), event.outcome())
			.record(duration.toNanos(), TimeUnit.NANOSECONDS);
	}

	private Counter hopCounter(HopKey key) {
		return Counter.builder(HOPS)
			.description("Hops of requests from one model of a chain to the next, by the reason for the hop")
			.tag("policy", key.policy())
			.tag("from", key.from())
			.tag("to", key.to())
			.tag("reason", (key.reason() != null) ? key.reason() : NONE)
			.register(this.registry);
	}

	private Counter hedgeCounter(HedgeEvent key) {
		return Counter.builder(HEDGES)
			.description("Hedged requests served, by the model whose call was hedged and which call answered first")
			.tag("policy", key.policy())
			.tag("model", key.model())
			.tag("winner", key.winner())
			.register(this.registry);
	}

	private Counter cooldownCounter(CooldownKey key) {
		return Counter.builder(COOLDOWNS)
			.description("Cooldowns started, by the category of the failure that started them")
			.tag("model", key.model())
			.tag("provider", key.provider())
			.tag("reason", key.reason().id())
			.tag("deployment", key.deployment())
			.register(this.registry);
	}

	private Counter unclassifiedCounter(UnclassifiedKey key) {
		return Counter.builder(UNCLASSIFIED)
			.description("Failed calls that no code, type or message rule classified, only their HTTP status")
			.tag("provider", key.provider())
			.tag("status", key.status())
			.register(this.registry);
	}

	/** The attempt counters of one model within one policy, by kind and outcome. */
	private final class AttemptCounters {

		private final String policy;

		private final String model;

		private final String provider;

		/** A policy holds models of one type, so its attempts are all of one operation. */
		private final String operation;

		private final String deployment;

		private final AtomicReferenceArray<Counter> counters = new AtomicReferenceArray<>(KINDS.length * OUTCOMES);

		AttemptCounters(String policy, String model, String provider, String operation, String deployment) {
			this.policy = policy;
			this.model = model;
			this.provider = provider;
			this.operation = operation;
			this.deployment = deployment;
		}

		Counter get(AttemptKind kind, int outcome, String outcomeId) {
			int index = kind.ordinal() * OUTCOMES + outcome;
			Counter counter = this.counters.get(index);
			if (counter == null) {
				// A race registers the same meter twice; the registry hands back the one instance.
				counter = Counter.builder(ATTEMPTS)
					.description("Calls of models, and models passed without a call, by kind and outcome")
					.tag("policy", this.policy)
					.tag("model", this.model)
					.tag("provider", this.provider)
					.tag("kind", kind.id())
					.tag("outcome", outcomeId)
					.tag("operation", this.operation)
					.tag("deployment", this.deployment)
					.register(FallbackMetrics.this.registry);
				this.counters.set(index, counter);
			}
			return counter;
		}

	}

	/** The request timers of one policy and serving model, by outcome and hop count. */
	private final class RequestTimers {

		private final String policy;

		private final String servedBy;

		/** A policy's requests are all of one operation. */
		private final String operation;

		private final AtomicReferenceArray<Timer> timers = new AtomicReferenceArray<>(
				(1 + CATEGORIES.length) * FALLBACKS.length);

		RequestTimers(String policy, String servedBy, String operation) {
			this.policy = policy;
			this.servedBy = servedBy;
			this.operation = operation;
		}

		Timer get(int outcome, int fallbacks, String outcomeId) {
			int index = outcome * FALLBACKS.length + fallbacks;
			Timer timer = this.timers.get(index);
			if (timer == null) {
				timer = Timer.builder(REQUESTS)
					.description("Requests from start to end, all attempts and hops included")
					.tag("policy", this.policy)
					.tag("served.by", this.servedBy)
					.tag("outcome", outcomeId)
					.tag("fallbacks", FALLBACKS[fallbacks])
					.tag("operation", this.operation)
					.register(FallbackMetrics.this.registry);
				this.timers.set(index, timer);
			}
			return timer;
		}

	}

	private record HopKey(String policy, String from, String to, String reason) {
	}

	private record CooldownKey(String model, String provider, ErrorCategory reason, String deployment) {
	}

	private record UnclassifiedKey(String provider, String status) {
	}

}
