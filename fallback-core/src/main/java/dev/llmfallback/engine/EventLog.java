package dev.llmfallback.engine;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import dev.llmfallback.Attempt;
import dev.llmfallback.FallbackExhaustedException;
import dev.llmfallback.event.CooldownEndedEvent;
import dev.llmfallback.event.CooldownStartedEvent;
import dev.llmfallback.event.FallbackEvent;
import dev.llmfallback.event.FallbackEventListener;
import dev.llmfallback.event.RequestCompletedEvent;

/**
 * The engine's own log of what an operator needs to see: one line when a model starts cooling
 * down (WARN), one when it is available again (INFO), one when a request exhausted its chain
 * (WARN). Each kind of line is rate-limited per model (per policy for exhausted chains): at most
 * one per {@link #INTERVAL}, the next one saying how many were held back. Lines name models,
 * providers, categories and times only, never a key or a provider's message. Logged under
 * {@value #LOGGER}; the engine registers it unless {@link FallbackEngine.Builder#eventLog(boolean)}
 * turns it off.
 */
final class EventLog implements FallbackEventListener {

	static final String LOGGER = "dev.llmfallback.events";

	static final Duration INTERVAL = Duration.ofSeconds(10);

	private static final Log logger = LogFactory.getLog(LOGGER);

	private final EngineClock clock;

	private final Map<String, Limit> cooldownStarts = new ConcurrentHashMap<>();

	private final Map<String, Limit> cooldownEnds = new ConcurrentHashMap<>();

	private final Map<String, Limit> exhausted = new ConcurrentHashMap<>();

	EventLog(EngineClock clock) {
		this.clock = clock;
	}

	@Override
	public void onEvent(FallbackEvent event) {
		if (event instanceof CooldownStartedEvent started && logger.isWarnEnabled()) {
			int held = admit(this.cooldownStarts, started.model());
			if (held >= 0) {
				logger.warn("Model '" + started.model() + "' (provider '" + started.provider() + "') cools down for "
						+ format(started.duration()) + " until " + started.until() + " after "
						+ started.reason().id()
						+ ((started.failedTrials() > 0) ? " (trial " + started.failedTrials() + " in a row failed)" : "")
						+ held(held));
			}
		}
		else if (event instanceof CooldownEndedEvent ended && logger.isInfoEnabled()) {
			int held = admit(this.cooldownEnds, ended.model());
			if (held >= 0) {
				logger.info("Model '" + ended.model() + "' (provider '" + ended.provider() + "') is available again ("
						+ ended.reason() + ")" + held(held));
			}
		}
		else if (event instanceof RequestCompletedEvent completed
				&& completed.error() instanceof FallbackExhaustedException exhausted && logger.isWarnEnabled()) {
			int held = admit(this.exhausted, completed.policy());
			if (held >= 0) {
				logger.warn("Policy '" + completed.policy() + "' found no model to serve a "
						+ (completed.streaming() ? "stream" : "request") + " (" + completed.outcome()
						+ (exhausted.deadlineExceeded() ? ", deadline passed" : "") + "); models tried: "
						+ Attempt.describe(completed.attempts()) + held(held));
			}
		}
	}

	/** @return how many lines were held back before this one, or -1 to hold this one back */
	private int admit(Map<String, Limit> limits, String key) {
		return limits.computeIfAbsent(key, (name) -> new Limit()).admit(this.clock.nanoTime(), INTERVAL.toNanos());
	}

	private static String held(int held) {
		return (held > 0) ? " [" + held + " similar line(s) held back]" : "";
	}

	private static String format(Duration duration) {
		long millis = duration.toMillis();
		return (millis % 1000 == 0) ? (millis / 1000) + "s" : millis + "ms";
	}

	/** One key's rate limit. */
	private static final class Limit {

		private boolean logged;

		private long lastLogged;

		private int held;

		synchronized int admit(long now, long interval) {
			if (this.logged && now - this.lastLogged < interval) {
				this.held++;
				return -1;
			}
			int before = this.held;
			this.logged = true;
			this.lastLogged = now;
			this.held = 0;
			return before;
		}

	}

}
