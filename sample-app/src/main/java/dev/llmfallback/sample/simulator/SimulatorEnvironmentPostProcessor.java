package dev.llmfallback.sample.simulator;

import java.util.Map;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.event.ApplicationFailedEvent;
import org.springframework.boot.context.event.ApplicationPreparedEvent;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Starts the {@link ProviderSimulator} before the application's beans are created, so that the
 * providers configured in {@code application.yml} can point at it through
 * {@code ${sample.simulator.base-url}}. Runs when {@code sample.simulator.enabled} is true (as the
 * default {@code simulated} profile sets it), registers the simulator as a bean, and stops it
 * with the context.
 */
public class SimulatorEnvironmentPostProcessor implements EnvironmentPostProcessor, Ordered {

	/** The property the providers' base URLs are built from. */
	public static final String BASE_URL = "sample.simulator.base-url";

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		Binder binder = Binder.get(environment);
		if (!binder.bind("sample.simulator.enabled", Boolean.class).orElse(false)) {
			return;
		}
		Map<String, SimulatedBehaviour> behaviours = binder
			.bind("sample.simulator.providers", Bindable.mapOf(String.class, SimulatedBehaviour.class))
			.orElse(Map.of());
		ProviderSimulator simulator = ProviderSimulator.start(behaviours);
		environment.getPropertySources().addFirst(new MapPropertySource("providerSimulator", Map.of(BASE_URL, simulator.baseUrl())));
		application.addListeners(new Lifecycle(simulator));
	}

	@Override
	public int getOrder() {
		// After the application's configuration files are loaded.
		return Ordered.LOWEST_PRECEDENCE;
	}

	private record Lifecycle(ProviderSimulator simulator) implements ApplicationListener<ApplicationEvent> {

		@Override
		public void onApplicationEvent(ApplicationEvent event) {
			if (event instanceof ApplicationPreparedEvent prepared) {
				prepared.getApplicationContext().getBeanFactory().registerSingleton("providerSimulator", this.simulator);
			}
			else if (event instanceof ContextClosedEvent || event instanceof ApplicationFailedEvent) {
				this.simulator.close();
			}
		}

	}

}
