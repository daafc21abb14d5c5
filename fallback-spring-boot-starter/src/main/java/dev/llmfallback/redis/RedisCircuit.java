package dev.llmfallback.redis;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.llmfallback.ErrorCategory;
import dev.llmfallback.policy.CooldownSpec;
import dev.llmfallback.state.SharedCircuit;

/**
 * One circuit in Redis: a sorted set of failure times (the shared window), a string whose expiry
 * is the shared cooldown, and the half-open trial's lease, all under
 * {@code <prefix>circuit:<key>:}. What arrives on the channel for this circuit goes to its listener.
 */
final class RedisCircuit implements SharedCircuit {

	private final RedisSharedState state;

	private final String key;

	private final Listener listener;

	private final List<String> keys;

	private final List<String> trialKeys;

	/** A lease asked for and not yet answered: requests meanwhile skip the model rather than ask again. */
	private final AtomicBoolean asking = new AtomicBoolean();

	RedisCircuit(RedisSharedState state, String key, Listener listener) {
		this.state = state;
		this.key = key;
		this.listener = listener;
		String failures = state.key(key, "failures");
		String cooldown = state.key(key, "cooldown");
		String trial = state.key(key, "trial");
		this.keys = List.of(failures, cooldown, trial);
		this.trialKeys = List.of(cooldown, trial);
	}

	@Override
	public void failed(ErrorCategory category, CooldownSpec spec) {
		this.state.run(RedisScripts.FAILED, this.keys.subList(0, 2),
				List.of(millis(spec.window()), Integer.toString(spec.failures()), millis(spec.duration()),
						category.name(), this.state.nextMember(), this.state.channel(), this.key),
				(opened) -> {
				});
	}

	@Override
	public void opened(ErrorCategory reason, Duration duration, int failedTrials) {
		this.state.run(RedisScripts.OPENED, this.keys, List.of(millis(duration), reason.name(),
				Integer.toString(failedTrials), this.state.channel(), this.state.replica(), this.key), (news) -> {
				});
	}

	@Override
	public void closed() {
		this.state.run(RedisScripts.CLOSED, this.keys, List.of(this.state.channel(), this.state.replica(), this.key),
				(done) -> {
				});
	}

	@Override
	public boolean tryTrial() {
		if (!this.state.connected()) {
			return true;
		}
		if (this.asking.compareAndSet(false, true)) {
			this.state.run(RedisScripts.TRIAL, this.trialKeys,
					List.of(millis(this.state.trialLease()), this.state.replica()), (wait) -> {
						this.asking.set(false);
						if (wait == null || wait == 0) {
							// Held here, or Redis failed and this replica decides alone now.
							this.listener.trialGranted();
						}
						else {
							this.listener.trialRefused(Duration.ofMillis(wait));
						}
					});
		}
		return false;
	}

	void openedElsewhere(ErrorCategory reason, Duration remaining, int failedTrials) {
		this.listener.openedElsewhere(reason, remaining, failedTrials);
	}

	void closedElsewhere() {
		this.listener.closedElsewhere();
	}

	/** Whole milliseconds, at least one (Redis refuses an expiry of 0). */
	private static String millis(Duration duration) {
		return Long.toString(Math.max(1, duration.toMillis()));
	}

}
