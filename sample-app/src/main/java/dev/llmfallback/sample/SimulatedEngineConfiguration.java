package dev.llmfallback.sample;

import java.time.Duration;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.llmfallback.ChatService;
import dev.llmfallback.engine.FallbackEngine;
import dev.llmfallback.policy.FallbackPolicy;
import dev.llmfallback.policy.ModelDefinition;

/**
 * A fallback engine over simulated providers: a flaky primary first and a healthy fallback after
 * it, so the first request already shows retries and hops. Until the starter auto-configures the
 * engine from {@code application.yml}, the sample wires it here.
 */
@Configuration(proxyBeanMethods = false)
class SimulatedEngineConfiguration {

	@Bean
	FallbackEngine fallbackEngine() {
		return FallbackEngine.builder()
			.provider(new SimulatedProvider("flaky", 0.3, 0.3, Duration.ofMillis(20)))
			.provider(new SimulatedProvider("steady", 0.0, 0.0, Duration.ofMillis(40)))
			.model(ModelDefinition.builder("flaky-mini").provider("flaky").build())
			.model(ModelDefinition.builder("steady-large").provider("steady").build())
			.policy(FallbackPolicy.builder("chat").models("flaky-mini", "steady-large").build())
			.build();
	}

	@Bean
	ChatService chatService(FallbackEngine engine) {
		return engine.chatService();
	}

}
