package dev.llmfallback.autoconfigure.health;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;

import dev.llmfallback.actuate.health.LlmHealthContributor;
import dev.llmfallback.autoconfigure.FallbackAutoConfiguration;
import dev.llmfallback.autoconfigure.LlmFallbackProperties;
import dev.llmfallback.engine.FallbackEngine;
import dev.llmfallback.state.SharedState;

/**
 * Auto-configures the {@code llm} health contributor for the {@link FallbackEngine} when Spring
 * Boot's health support is present. Switched off by {@code management.health.llm.enabled=false};
 * backs off when the application defines a {@code llmHealthContributor} or
 * {@code llmHealthIndicator} bean, or its own {@link LlmHealthContributor}.
 */
@AutoConfiguration(after = FallbackAutoConfiguration.class)
@ConditionalOnClass({ HealthIndicator.class, ConditionalOnEnabledHealthIndicator.class })
@ConditionalOnBean(FallbackEngine.class)
@ConditionalOnEnabledHealthIndicator("llm")
@EnableConfigurationProperties(LlmFallbackProperties.class)
public final class LlmHealthContributorAutoConfiguration {

	// Boot names a contributor after its bean, less the "HealthContributor" suffix: "llm".
	@Bean
	@ConditionalOnMissingBean(value = LlmHealthContributor.class,
			name = { "llmHealthIndicator", "llmHealthContributor" })
	LlmHealthContributor llmHealthContributor(FallbackEngine engine, LlmFallbackProperties properties,
			ObjectProvider<SharedState> sharedState) {
		return new LlmHealthContributor(engine, properties.health().strict(), sharedState.getIfAvailable());
	}

}
