package dev.llmfallback.actuate.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

import dev.llmfallback.engine.FallbackEngine;

/**
 * Binds the gauge {@value #AVAILABLE} ({@code model}, {@code provider}, {@code deployment}): 1 while a
 * request arriving now would call the model, 0 while it is skipped because it is cooling down. A
 * model that lists deployments has one gauge per deployment (its provider, {@code deployment} its
 * {@code provider/model}): the model is available while any of them is; a model without has one,
 * tagged with its own {@code provider/model}. Read from the
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
		this.engine.models().forEach((name, model) -> {
			if (model.deployments().isEmpty()) {
				gauge(registry, name, model.provider(), model.provider() + "/" + model.model(),
						(engine) -> engine.modelStatus(name).available());
				return;
			}
			model.deployments()
				.forEach((deployment) -> gauge(registry, name, deployment.provider(), deployment.name(),
						(engine) -> engine.modelStatus(name)
							.deployments()
							.stream()
							.anyMatch((status) -> deployment.name().equals(status.deployment()) && status.available())));
		});
	}

	private void gauge(MeterRegistry registry, String model, String provider, String deployment,
			java.util.function.Predicate<FallbackEngine> available) {
		Gauge.builder(AVAILABLE, this.engine, (engine) -> available.test(engine) ? 1 : 0)
			.description("Whether a request arriving now would call the model (1) or skip it while it cools down (0)")
			.tag("model", model)
			.tag("provider", provider)
			.tag("deployment", deployment)
			.register(registry);
	}

}
