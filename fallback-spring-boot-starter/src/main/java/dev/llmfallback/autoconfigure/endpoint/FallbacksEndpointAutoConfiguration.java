package dev.llmfallback.autoconfigure.endpoint;

import java.time.Clock;

import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

import dev.llmfallback.actuate.endpoint.FallbacksEndpoint;
import dev.llmfallback.actuate.endpoint.RecentHops;
import dev.llmfallback.actuate.endpoint.RecentOutcomes;
import dev.llmfallback.actuate.endpoint.ResettableFallbacksEndpoint;
import dev.llmfallback.autoconfigure.FallbackAutoConfiguration;
import dev.llmfallback.autoconfigure.LlmFallbackProperties;
import dev.llmfallback.engine.FallbackEngine;

/**
 * Auto-configures the {@code fallbacks} endpoint when it is available (enabled and exposed), with
 * the rings of recent hops and per-model outcomes it shows. The rings are listener beans, so the
 * auto-configured engine fills them; an application that builds its own engine passes the
 * {@link RecentHops} and {@link RecentOutcomes} beans to {@code FallbackEngine.Builder.listener}. The write operation exists only while
 * {@code llm.fallback.endpoint.reset-enabled} is {@code true} (the default).
 */
@AutoConfiguration(after = FallbackAutoConfiguration.class)
@ConditionalOnClass({ Endpoint.class, ConditionalOnAvailableEndpoint.class })
@ConditionalOnBean(FallbackEngine.class)
@ConditionalOnAvailableEndpoint(FallbacksEndpoint.class)
@EnableConfigurationProperties(LlmFallbackProperties.class)
public final class FallbacksEndpointAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	RecentHops llmFallbackRecentHops(LlmFallbackProperties properties) {
		return new RecentHops(Math.max(0, properties.endpoint().recentHops()));
	}

	@Bean
	@ConditionalOnMissingBean
	RecentOutcomes llmFallbackRecentOutcomes() {
		return new RecentOutcomes(RecentOutcomes.DEFAULT_CAPACITY);
	}

	@Bean
	@ConditionalOnMissingBean
	FallbacksEndpoint fallbacksEndpoint(FallbackEngine engine, RecentHops recentHops, RecentOutcomes recentOutcomes,
			LlmFallbackProperties properties) {
		Clock clock = Clock.systemUTC();
		// Two classes rather than a flag checked per call: when off, the operation does not exist at all.
		return properties.endpoint().resetEnabled()
				? new ResettableFallbacksEndpoint(engine, recentHops, recentOutcomes, clock)
				: new FallbacksEndpoint(engine, recentHops, recentOutcomes, clock);
	}

}
