package dev.llmfallback.autoconfigure.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.llmfallback.actuate.metrics.FallbackMetrics;
import dev.llmfallback.actuate.metrics.FallbackModelAvailabilityMeterBinder;
import dev.llmfallback.actuate.metrics.GenAiClientMetrics;
import dev.llmfallback.autoconfigure.FallbackAutoConfiguration;
import dev.llmfallback.engine.FallbackEngine;
import dev.llmfallback.redis.RedisSharedState;

/**
 * Auto-configures the engine's Micrometer meters: the {@code llm.fallback.*} meters, the
 * model availability gauge and the OpenTelemetry GenAI client meters. The listeners reach the
 * engine through {@link FallbackAutoConfiguration}, which hands it every
 * {@link dev.llmfallback.event.FallbackEventListener} bean.
 */
@AutoConfiguration(after = FallbackAutoConfiguration.class,
		afterName = { "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
				"org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration" })
@ConditionalOnClass({ MeterRegistry.class, FallbackEngine.class })
@ConditionalOnBean({ MeterRegistry.class, FallbackEngine.class })
public final class FallbackMetricsAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	FallbackMetrics llmFallbackMetrics(MeterRegistry registry) {
		return new FallbackMetrics(registry);
	}

	@Bean
	@ConditionalOnMissingBean
	FallbackModelAvailabilityMeterBinder llmFallbackModelAvailabilityMeterBinder(FallbackEngine engine) {
		return new FallbackModelAvailabilityMeterBinder(engine);
	}

	/** {@code llm.fallback.state.errors}: Redis commands that failed or timed out, and lost subscriptions. */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "org.springframework.data.redis.connection.ReactiveRedisConnectionFactory")
	static class SharedStateMetricsConfiguration {

		@Bean
		@ConditionalOnBean(RedisSharedState.class)
		MeterBinder llmFallbackStateMeterBinder(RedisSharedState state) {
			return (registry) -> FunctionCounter.builder("llm.fallback.state.errors", state, RedisSharedState::errors)
				.description("Redis commands of the shared state that failed or timed out; while Redis is "
						+ "unreachable each replica keeps its state locally")
				.register(registry);
		}

	}

	/**
	 * Spring AI registers {@code gen_ai.client.token.usage} as a counter with other tags; two meter
	 * types under one name fail in Prometheus, so ours step aside when Spring AI's are there.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnBooleanProperty(name = "llm.fallback.metrics.gen-ai.enabled", matchIfMissing = true)
	@ConditionalOnMissingClass("org.springframework.ai.model.observation.ModelUsageMetricsGenerator")
	static class GenAiMetricsConfiguration {

		@Bean
		@ConditionalOnMissingBean
		GenAiClientMetrics llmFallbackGenAiClientMetrics(MeterRegistry registry) {
			return new GenAiClientMetrics(registry);
		}

	}

}
