package dev.llmfallback.observation;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.common.KeyValue;
import io.micrometer.common.KeyValues;
import org.jspecify.annotations.Nullable;

import dev.llmfallback.Attempt;
import dev.llmfallback.observation.FallbackObservationDocumentation.HighCardinalityKeyNames;
import dev.llmfallback.observation.FallbackObservationDocumentation.LowCardinalityKeyNames;

/**
 * The default {@link FallbackObservationConvention}: observations named {@value #NAME}, with the
 * policy, outcome, serving model, hop count and stream flag as low-cardinality key values.
 */
public class DefaultFallbackObservationConvention implements FallbackObservationConvention {

	/** The observation's name (and so, through Micrometer, the name of the timer it yields). */
	public static final String NAME = "llm.fallback.operation";

	private static final KeyValue STREAM_TRUE = KeyValue.of(LowCardinalityKeyNames.STREAM, "true");

	private static final KeyValue STREAM_FALSE = KeyValue.of(LowCardinalityKeyNames.STREAM, "false");

	private static final String[] FALLBACKS = { "0", "1", "2", "3+" };

	/**
	 * How many sets of low-cardinality key values are kept. They are bounded by the configuration
	 * (policies × outcomes × models × 4 × 2); past this many, each request builds its own.
	 */
	static final int MAX_CACHED = 1024;

	// Built once per combination: KeyValues.of sorts its five values, on every request otherwise
	// (0.7 % of the gateway's CPU under load). Only for this class: a subclass may override any part.
	private final Map<LowCardinality, KeyValues> lowCardinality = new ConcurrentHashMap<>();

	@Override
	public String getName() {
		return NAME;
	}

	@Override
	public String getContextualName(FallbackObservationContext context) {
		return "fallback " + context.getPolicy();
	}

	@Override
	public KeyValues getLowCardinalityKeyValues(FallbackObservationContext context) {
		if (getClass() != DefaultFallbackObservationConvention.class) {
			return lowCardinalityKeyValues(context);
		}
		LowCardinality key = new LowCardinality(context.getPolicy(), context.getOutcome(), context.getServedBy(),
				Math.min(Attempt.hops(context.getAttempts()), FALLBACKS.length - 1), context.isStreaming());
		KeyValues cached = this.lowCardinality.get(key);
		if (cached != null) {
			return cached;
		}
		KeyValues built = lowCardinalityKeyValues(context);
		if (this.lowCardinality.size() < MAX_CACHED) {
			this.lowCardinality.putIfAbsent(key, built);
		}
		return built;
	}

	/** @return how many sets of low-cardinality key values are kept (at most {@link #MAX_CACHED}) */
	int cachedSets() {
		return this.lowCardinality.size();
	}

	private KeyValues lowCardinalityKeyValues(FallbackObservationContext context) {
		return KeyValues.of(policy(context), outcome(context), servedBy(context), fallbacks(context),
				stream(context));
	}

	@Override
	public KeyValues getHighCardinalityKeyValues(FallbackObservationContext context) {
		return context.getAttempts().isEmpty() ? KeyValues.empty() : KeyValues.of(attempts(context));
	}

	protected KeyValue policy(FallbackObservationContext context) {
		return KeyValue.of(LowCardinalityKeyNames.POLICY, context.getPolicy());
	}

	protected KeyValue outcome(FallbackObservationContext context) {
		String outcome = context.getOutcome();
		return KeyValue.of(LowCardinalityKeyNames.OUTCOME, (outcome != null) ? outcome : KeyValue.NONE_VALUE);
	}

	protected KeyValue servedBy(FallbackObservationContext context) {
		String servedBy = context.getServedBy();
		return KeyValue.of(LowCardinalityKeyNames.SERVED_BY, (servedBy != null) ? servedBy : KeyValue.NONE_VALUE);
	}

	protected KeyValue fallbacks(FallbackObservationContext context) {
		int hops = Attempt.hops(context.getAttempts());
		return KeyValue.of(LowCardinalityKeyNames.FALLBACKS, FALLBACKS[Math.min(hops, FALLBACKS.length - 1)]);
	}

	protected KeyValue stream(FallbackObservationContext context) {
		return context.isStreaming() ? STREAM_TRUE : STREAM_FALSE;
	}

	protected KeyValue attempts(FallbackObservationContext context) {
		return KeyValue.of(HighCardinalityKeyNames.ATTEMPTS, Attempt.describe(context.getAttempts()));
	}

	/** What the default low-cardinality key values are made of. */
	private record LowCardinality(String policy, @Nullable String outcome, @Nullable String servedBy, int fallbacks,
			boolean streaming) {
	}

}
