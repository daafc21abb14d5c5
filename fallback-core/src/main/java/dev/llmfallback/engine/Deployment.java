package dev.llmfallback.engine;

import java.util.concurrent.atomic.AtomicInteger;

import org.jspecify.annotations.Nullable;

import dev.llmfallback.provider.ChatProvider;

/**
 * One place a model is served: a provider, the id sent to it, its share of the traffic, and its own
 * state: its circuit (cooldowns are per deployment), its usage of its {@code rpm}/{@code tpm} limits,
 * its calls in flight and its latency figures. A model without configured deployments has exactly
 * one, made from the model itself. Shared by every request that calls it.
 */
final class Deployment {

	private final String name;

	private final String providerName;

	private final ChatProvider provider;

	private final String providerModelId;

	private final double weight;

	private final ModelCircuit circuit;

	/** Its position in its model's list, for a walk's set of deployments tried. */
	private final int index;

	/** {@code null} without rpm and tpm limits: nothing is counted. */
	private final @Nullable UsageWindow usage;

	/** Set at assembly only where a policy routes by latency or hedges by percentile. */
	private @Nullable LatencyFigures latency;

	/** Counted only where a policy routes to the least busy deployment. */
	private @Nullable AtomicInteger inFlight;

	Deployment(String name, String providerName, ChatProvider provider, String providerModelId, double weight,
			ModelCircuit circuit, int index, @Nullable UsageWindow usage) {
		this.name = name;
		this.providerName = providerName;
		this.provider = provider;
		this.providerModelId = providerModelId;
		this.weight = weight;
		this.circuit = circuit;
		this.index = index;
		this.usage = usage;
	}

	/** @return {@code provider/model}, as shown by health, the endpoint and the meters' {@code deployment} tag */
	String name() {
		return this.name;
	}

	String providerName() {
		return this.providerName;
	}

	ChatProvider provider() {
		return this.provider;
	}

	/** @return the id sent to the provider */
	String providerModelId() {
		return this.providerModelId;
	}

	double weight() {
		return this.weight;
	}

	ModelCircuit circuit() {
		return this.circuit;
	}

	int index() {
		return this.index;
	}

	@Nullable UsageWindow usage() {
		return this.usage;
	}

	@Nullable LatencyFigures latency() {
		return this.latency;
	}

	/** Whether its {@code rpm} or {@code tpm} limit refuses a request now. */
	boolean atCapacity(long now) {
		return this.usage != null && this.usage.atCapacity(now);
	}

	/** Counts a request against its limits; {@code false} when a limit refuses it. */
	boolean takeCapacity(long now) {
		return this.usage == null || this.usage.tryTake(now);
	}

	/** @return its calls in flight, 0 where they are not counted */
	int inFlight() {
		AtomicInteger inFlight = this.inFlight;
		return (inFlight != null) ? inFlight.get() : 0;
	}

	/** Set once at assembly, before any request is made. */
	void track(boolean latency, boolean inFlight, StateStore store, String key) {
		if (latency && this.latency == null) {
			this.latency = store.latency(key);
		}
		if (inFlight && this.inFlight == null) {
			this.inFlight = new AtomicInteger();
		}
	}

	/** Whether a call's end is worth telling: it counts calls in flight, latency or tokens. */
	boolean observesCalls() {
		return this.inFlight != null || this.latency != null || this.usage != null;
	}

	void callStarted() {
		AtomicInteger inFlight = this.inFlight;
		if (inFlight != null) {
			inFlight.incrementAndGet();
		}
	}

	/**
	 * A call to it ended.
	 * @param answered whether it answered
	 * @param nanos how long it took
	 * @param tokens the tokens it used, 0 when unknown
	 * @param now the engine clock's time
	 */
	void callEnded(boolean answered, long nanos, long tokens, long now) {
		AtomicInteger inFlight = this.inFlight;
		if (inFlight != null) {
			inFlight.decrementAndGet();
		}
		if (answered) {
			if (this.latency != null) {
				this.latency.record(nanos);
			}
			if (this.usage != null && tokens > 0) {
				this.usage.addTokens(tokens, now);
			}
		}
	}

	@Override
	public String toString() {
		return this.name;
	}

}
