package dev.llmfallback.autoconfigure.web;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.ProblemDetail;

import dev.llmfallback.autoconfigure.FallbackAutoConfiguration;
import dev.llmfallback.engine.FallbackEngine;
import dev.llmfallback.policy.FallbackConfigurationException;
import dev.llmfallback.web.FallbackErrorMapping;
import dev.llmfallback.web.FallbackProblemDetailsHandler;

/**
 * The {@link FallbackErrorMapping} for the {@link FallbackEngine} (for any application, so that a
 * gateway's endpoints can share it), and, in a Spring MVC or WebFlux application, the problem details
 * for {@code LlmException}s reaching its controllers, unless
 * {@code llm.fallback.web.problem-details.enabled=false}.
 */
@AutoConfiguration(after = FallbackAutoConfiguration.class)
@ConditionalOnClass(ProblemDetail.class)
@ConditionalOnBean(FallbackEngine.class)
@EnableConfigurationProperties(FallbackWebProperties.class)
public final class FallbackWebAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	FallbackErrorMapping fallbackErrorMapping(FallbackEngine engine, FallbackWebProperties properties) {
		if (properties.getMaxRetryAfter().getSeconds() < 1) {
			throw new FallbackConfigurationException("web.max-retry-after",
					"is " + properties.getMaxRetryAfter() + ", shorter than one second",
					"Set llm.fallback.web.max-retry-after to at least 1s (the default is 60s)");
		}
		return new FallbackErrorMapping(engine, properties.getMaxRetryAfter());
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnWebApplication
	@ConditionalOnBooleanProperty(name = "llm.fallback.web.problem-details.enabled", matchIfMissing = true)
	static final class ProblemDetailsConfiguration {

		@Bean
		@ConditionalOnMissingBean
		FallbackProblemDetailsHandler fallbackProblemDetailsHandler(FallbackErrorMapping mapping) {
			return new FallbackProblemDetailsHandler(mapping);
		}

	}

}
