package dev.llmfallback.actuate.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

import dev.llmfallback.engine.FallbackEngine;

/**
 * Binds the gauge {@value #AVAILABLE} ({@code model}, {@code provider}): 1 while a request arriving
 * now would call the model, 0 while it is skipped because it is cooling down. Read from the
 * engine when the registry is scraped; a binder rather than an event listener, since the engine is
 * built with its listeners and a listener cannot depend on it.
 */
public final class FallbackModelAvailabilityMeterBinder implements MeterBinder {

	/** The gauge's name. */
	public static final String AVAILABLE = "llm.fallback.model.available";

	private final FallbackEngine engine;

	public FallbackModelAvailabilityMeterBinder(FallbackEngine engine) {
		this.engine = engine;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		this.engine.models()
			.forEach((name, model) -> Gauge
				.builder(AVAILABLE, this.engine, (engine) -> engine.modelStatus(name).available() ? 1 : 0)
				.description("Whether a request arriving now would call the model (1) or skip it while it cools down (0)")
				.tag("model", name)
				.tag("provider", model.provider())
				.register(registry));
	}

}
