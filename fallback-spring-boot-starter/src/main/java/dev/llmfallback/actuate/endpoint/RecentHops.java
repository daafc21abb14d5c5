package dev.llmfallback.actuate.endpoint;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

import dev.llmfallback.event.FallbackEvent;
import dev.llmfallback.event.FallbackEventListener;
import dev.llmfallback.event.HopEvent;

/**
 * Keeps the engine's most recent {@link HopEvent hops} in a bounded ring for the
 * {@link FallbacksEndpoint}. Register it as a listener of the engine (the auto-configured engine
 * takes every {@link FallbackEventListener} bean). Recording never blocks and never allocates
 * more than one entry per hop; the oldest hop makes room for the newest.
 */
public final class RecentHops implements FallbackEventListener {

	private final Clock clock;

	private final Ring<Hop> ring;

	/**
	 * Creates a ring of the given size, stamping hops with the system clock.
	 * @param capacity the most hops kept; 0 keeps none
	 */
	public RecentHops(int capacity) {
		this(capacity, Clock.systemUTC());
	}

	/**
	 * Creates a ring of the given size.
	 * @param capacity the most hops kept; 0 keeps none
	 * @param clock the clock that stamps each hop as it is recorded
	 */
	public RecentHops(int capacity, Clock clock) {
		this.ring = new Ring<>(capacity);
		this.clock = Objects.requireNonNull(clock, "clock");
	}

	@Override
	public void onEvent(FallbackEvent event) {
		if (event instanceof HopEvent hop) {
			this.ring.add(new Hop(this.clock.instant(), hop.policy(), hop.from(), hop.to(), hop.reason()));
		}
	}

	/** @return the hops kept, newest first */
	public List<Hop> newestFirst() {
		return this.ring.newestFirst();
	}

	/**
	 * One hop of a walk.
	 *
	 * @param time when it was recorded
	 * @param policy the policy walked
	 * @param from the model left
	 * @param to the model reached
	 * @param reason the category of the failure that caused it, or {@code cooldown} when
	 * {@code from} was skipped while cooling down
	 */
	public record Hop(Instant time, String policy, String from, String to, String reason) {
	}

}
