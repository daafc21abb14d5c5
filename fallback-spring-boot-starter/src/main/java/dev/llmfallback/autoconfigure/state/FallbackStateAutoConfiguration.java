package dev.llmfallback.autoconfigure.state;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;

import dev.llmfallback.autoconfigure.FallbackAutoConfiguration;
import dev.llmfallback.autoconfigure.LlmFallbackProperties;
import dev.llmfallback.redis.RedisSharedState;
import dev.llmfallback.state.SharedState;

/**
 * Shares circuits and usage between replicas through the application's reactive Redis connection
 * when {@code llm.fallback.state.store} is {@code redis}. Without that connection the engine's
 * start-up fails naming the property, rather than each replica running alone unawares.
 */
@AutoConfiguration(before = FallbackAutoConfiguration.class,
		afterName = { "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration",
				"org.springframework.boot.data.redis.autoconfigure.DataRedisReactiveAutoConfiguration" })
@ConditionalOnClass({ ReactiveRedisConnectionFactory.class, SharedState.class })
@ConditionalOnProperty(name = "llm.fallback.state.store", havingValue = "redis")
@EnableConfigurationProperties(LlmFallbackProperties.class)
public final class FallbackStateAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(SharedState.class)
	@ConditionalOnBean(ReactiveRedisConnectionFactory.class)
	RedisSharedState llmFallbackSharedState(ReactiveRedisConnectionFactory connectionFactory,
			LlmFallbackProperties properties) {
		LlmFallbackProperties.State state = properties.state();
		return new RedisSharedState(connectionFactory, state.keyPrefix(), state.trialLease(), state.timeout());
	}

}
