package dev.llmfallback.benchmarks.failover;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The gateway's configuration for the failover benchmark: one gateway, one policy per case. Every
 * case whose primary fails has its own policy, and a case that needs its own cooldown state has its
 * own primary model (cooldowns are kept per model, shared by every policy that calls it), all on the
 * same upstream port, whose fault mode each case sets.
 */
final class FailoverConfig {

	/** Only the secondary: the baseline that every failover is compared to. */
	static final String SECONDARY_ONLY = "secondary-only";

	static final String REFUSED_R0 = "refused-r0";

	static final String REFUSED_R1 = "refused-r1";

	static final String FAULT_R0 = "fault-r0";

	static final String FAULT_R1 = "fault-r1";

	static final String TIMEOUT = "timeout";

	static final String COOL = "cool";

	static final String RESTORE = "restore";

	static final String MID_STREAM = "mid-stream";

	static final String SECONDARY_MODEL = "secondary";

	static final String COOL_MODEL = "primary-cool";

	static final String RESTORE_MODEL = "primary-restore";

	/** The attempt timeout T of the timeout and slow-headers cases. */
	static final Duration ATTEMPT_TIMEOUT = Duration.ofMillis(200);

	/** The cooldown of the restore case, short so that it ends within the run. */
	static final Duration RESTORE_COOLDOWN = Duration.ofSeconds(2);

	/** Failures within the window that start a cooldown, in the cooling and restore cases. */
	static final int COOLDOWN_FAILURES = 3;

	private final Map<String, String> properties = new LinkedHashMap<>();

	private FailoverConfig() {
	}

	/**
	 * @param primaryPort the upstream port whose fault mode the cases set
	 * @param secondaryPort the upstream port that always answers
	 * @param refusedPort a port nothing listens on
	 * @return the gateway's properties
	 */
	static Map<String, String> properties(int primaryPort, int secondaryPort, int refusedPort) {
		FailoverConfig config = new FailoverConfig();
		config.provider("primary", primaryPort);
		config.provider("secondary", secondaryPort);
		config.provider("refused", refusedPort);
		config.model("primary", "primary");
		config.model(SECONDARY_MODEL, "secondary");
		// Its own attempt timeout: the timeout case's T bounds the primary only, never the fallback.
		config.set("llm.fallback.models." + SECONDARY_MODEL + ".timeout", "10s");
		config.model("refused", "refused");
		config.model(COOL_MODEL, "primary");
		config.model(RESTORE_MODEL, "primary");
		config.model("primary-mid", "primary");
		config.set("llm.fallback.default-policy", SECONDARY_ONLY);
		config.policy(SECONDARY_ONLY, SECONDARY_MODEL, 0).noCooldown(SECONDARY_ONLY);
		// A refused connection cools its model at once (by design). With a 1 ns cooldown, every
		// request is the half-open trial, so every request pays the refusal: the figure measured.
		config.policy(REFUSED_R0, "refused,secondary", 0).tinyCooldown(REFUSED_R0);
		config.policy(REFUSED_R1, "refused,secondary", 1).tinyCooldown(REFUSED_R1);
		config.policy(FAULT_R0, "primary,secondary", 0).noCooldown(FAULT_R0);
		config.policy(FAULT_R1, "primary,secondary", 1).noCooldown(FAULT_R1);
		config.policy(TIMEOUT, "primary,secondary", 0).noCooldown(TIMEOUT);
		config.set(policy(TIMEOUT) + "timeout", ATTEMPT_TIMEOUT.toMillis() + "ms");
		config.policy(COOL, COOL_MODEL + ",secondary", 0).cooldown(COOL, Duration.ofMinutes(10));
		config.policy(RESTORE, RESTORE_MODEL + ",secondary", 0).cooldown(RESTORE, RESTORE_COOLDOWN);
		config.policy(MID_STREAM, "primary-mid", 0).noCooldown(MID_STREAM);
		return config.properties;
	}

	private void provider(String name, int port) {
		set("llm.fallback.providers." + name + ".type", "openai");
		set("llm.fallback.providers." + name + ".base-url", "http://127.0.0.1:" + port + "/v1");
		set("llm.fallback.providers." + name + ".api-key", "bench");
	}

	private void model(String name, String provider) {
		set("llm.fallback.models." + name + ".provider", provider);
	}

	private static String policy(String name) {
		return "llm.fallback.policies." + name + ".";
	}

	/** A chain with retries and no back-off at all (max-backoff 0 is a fixed zero delay), so it never dominates. */
	private FailoverConfig policy(String name, String models, int retries) {
		set(policy(name) + "models", models);
		set(policy(name) + "retry.max-retries", Integer.toString(retries));
		set(policy(name) + "retry.initial-backoff", "0ms");
		set(policy(name) + "retry.max-backoff", "0ms");
		return this;
	}

	/** Failures that count never reach the threshold: each request meets the failing primary. */
	private void noCooldown(String name) {
		set(policy(name) + "cooldown.failures", "1000000");
		set(policy(name) + "cooldown.window", "1ms");
	}

	private void tinyCooldown(String name) {
		set(policy(name) + "cooldown.duration", "1ns");
		set(policy(name) + "cooldown.max-duration", "1ns");
	}

	private void cooldown(String name, Duration duration) {
		set(policy(name) + "cooldown.failures", Integer.toString(COOLDOWN_FAILURES));
		set(policy(name) + "cooldown.window", "60s");
		set(policy(name) + "cooldown.duration", duration.toMillis() + "ms");
	}

	private void set(String name, String value) {
		this.properties.put(name, value);
	}

}
