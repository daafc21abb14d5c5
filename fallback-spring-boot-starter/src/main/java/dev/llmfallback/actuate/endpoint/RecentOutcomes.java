package dev.llmfallback.actuate.endpoint;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import org.jspecify.annotations.Nullable;

import dev.llmfallback.Attempt;
import dev.llmfallback.event.AttemptEvent;
import dev.llmfallback.event.FallbackEvent;
import dev.llmfallback.event.FallbackEventListener;

/**
 * Keeps each model's most recent {@link AttemptEvent outcomes} (calls and skips) in a bounded ring
 * per model, for the {@link FallbacksEndpoint}: what a dashboard draws as a strip of recent
 * successes and failures. Register it as a listener of the engine, like {@link RecentHops}.
 * Recording never blocks; memory is bounded by the capacity times the models the engine knows.
 */
public final class RecentOutcomes implements FallbackEventListener {

	/** The outcomes kept per model unless told otherwise. */
	public static final int DEFAULT_CAPACITY = 60;

	private final int capacity;

	private final Clock clock;

	private final ConcurrentMap<String, Ring<Outcome>> rings = new ConcurrentHashMap<>();

	/**
	 * Creates rings of the given size, stamping outcomes with the system clock.
	 * @param capacity the most outcomes kept per model; 0 keeps none
	 */
	public RecentOutcomes(int capacity) {
		this(capacity, Clock.systemUTC());
	}

	/**
	 * Creates rings of the given size.
	 * @param capacity the most outcomes kept per model; 0 keeps none
	 * @param clock the clock that stamps each outcome as it is recorded
	 */
	public RecentOutcomes(int capacity, Clock clock) {
		if (capacity < 0) {
			throw new IllegalArgumentException("'capacity' must not be negative, was " + capacity);
		}
		this.capacity = capacity;
		this.clock = Objects.requireNonNull(clock, "clock");
	}

	@Override
	public void onEvent(FallbackEvent event) {
		if (event instanceof AttemptEvent attemptEvent && this.capacity > 0) {
			Attempt attempt = attemptEvent.attempt();
			Ring<Outcome> ring = this.rings.get(attempt.model());
			if (ring == null) {
				ring = this.rings.computeIfAbsent(attempt.model(), (model) -> new Ring<>(this.capacity));
			}
			ring.add(new Outcome(this.clock.instant(), attemptEvent.policy(), attempt.kind().id(), attempt.outcome(),
					attempt.httpStatus(), attempt.duration(),
					(attempt.skipReason() != null) ? attempt.skipReason().id() : null));
		}
	}

	/**
	 * One model's outcomes.
	 * @param model the model's name
	 * @return its outcomes kept, newest first; empty for a model not called yet
	 */
	public List<Outcome> newestFirst(String model) {
		Ring<Outcome> ring = this.rings.get(model);
		return (ring != null) ? ring.newestFirst() : List.of();
	}

	/**
	 * Every model's outcomes.
	 * @param models the models to list, in the order wanted
	 * @return each model's outcomes kept, newest first, in the order given
	 */
	public Map<String, List<Outcome>> newestFirst(Iterable<String> models) {
		Map<String, List<Outcome>> result = new LinkedHashMap<>();
		models.forEach((model) -> result.put(model, newestFirst(model)));
		return result;
	}

	/**
	 * One call of a model, or one pass without a call.
	 *
	 * @param time when it was recorded
	 * @param policy the policy walked
	 * @param kind {@code primary}, {@code retry}, {@code fallback} ...
	 * @param outcome {@code success}, an error category, or {@code skipped}
	 * @param httpStatus the provider's HTTP status, or {@code null} where there was none
	 * @param duration how long the call took (zero for a skip)
	 * @param skipReason why the model was passed without a call, or {@code null} for a call
	 */
	public record Outcome(Instant time, String policy, String kind, String outcome, @Nullable Integer httpStatus,
			Duration duration, @Nullable String skipReason) {
	}

}
