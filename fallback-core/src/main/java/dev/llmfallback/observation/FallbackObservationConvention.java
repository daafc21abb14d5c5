package dev.llmfallback.observation;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/**
 * An {@link ObservationConvention} for the engine's request observations; implement it (or extend
 * {@link DefaultFallbackObservationConvention}) to change their names or key values.
 */
public interface FallbackObservationConvention extends ObservationConvention<FallbackObservationContext> {

	@Override
	default boolean supportsContext(Observation.Context context) {
		return context instanceof FallbackObservationContext;
	}

}
