package dev.llmfallback.autoconfigure.web;

import java.time.Duration;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.ProblemDetail;

import dev.llmfallback.autoconfigure.FallbackAutoConfiguration;
import dev.llmfallback.autoconfigure.LlmFallbackProperties;
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
public final class FallbackWebAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	FallbackErrorMapping fallbackErrorMapping(FallbackEngine engine, LlmFallbackProperties properties) {
		Duration maxRetryAfter = properties.web().maxRetryAfter();
		if (maxRetryAfter.getSeconds() < 1) {
			throw new FallbackConfigurationException("web.max-retry-after",
					"is " + maxRetryAfter + ", shorter than one second",
					"Set llm.fallback.web.max-retry-after to at least 1s (the default is 60s)");
		}
		return new FallbackErrorMapping(engine, maxRetryAfter);
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
