package dev.llmfallback.autoconfigure;

import java.time.Duration;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisReactiveAutoConfiguration;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import dev.llmfallback.actuate.health.LlmHealthContributor;

import dev.llmfallback.autoconfigure.health.LlmHealthContributorAutoConfiguration;
import dev.llmfallback.autoconfigure.metrics.FallbackMetricsAutoConfiguration;
import dev.llmfallback.autoconfigure.state.FallbackStateAutoConfiguration;
import dev.llmfallback.engine.FallbackEngine;
import dev.llmfallback.provider.ChatProvider;
import dev.llmfallback.state.SharedState;
import dev.llmfallback.testing.ScriptedProvider;

import dev.llmfallback.redis.RedisServer;
import dev.llmfallback.redis.RedisSharedState;

import static dev.llmfallback.autoconfigure.FailureAnalyses.analysis;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** {@code llm.fallback.state.store=redis} in a Spring context, over Boot's Redis auto-configuration and a real server. */
class FallbackStateAutoConfigurationTests {

	@RegisterExtension
	static final RedisServer redis = new RedisServer();

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class,
				DataRedisReactiveAutoConfiguration.class, FallbackStateAutoConfiguration.class,
				FallbackAutoConfiguration.class, MetricsAutoConfiguration.class,
				FallbackMetricsAutoConfiguration.class, LlmHealthContributorAutoConfiguration.class))
		.withBean(SimpleMeterRegistry.class)
		.withBean("p", ChatProvider.class, () -> ScriptedProvider.replying("p", "from p"))
		.withPropertyValues("llm.fallback.models.m.provider=p", "llm.fallback.policies.chat.models=m");

	@Test
	void redisStoreSharesThroughTheApplicationsConnectionWithHealthAndMeter() {
		this.runner
			.withPropertyValues("llm.fallback.state.store=redis", "llm.fallback.state.key-prefix=app-a:",
					"spring.data.redis.host=127.0.0.1", "spring.data.redis.port=" + redis.port())
			.run((context) -> {
				assertThat(context).hasNotFailed();
				RedisSharedState state = context.getBean(RedisSharedState.class);
				await().atMost(Duration.ofSeconds(10)).until(state::connected);
				HealthIndicator indicator = (HealthIndicator) context.getBean(LlmHealthContributor.class)
					.getContributor("state");
				Health health = indicator.health();
				assertThat(health.getDetails()).containsEntry("store", "redis").containsEntry("state", "redis");
				assertThat(context.getBean(MeterRegistry.class).get("llm.fallback.state.errors").functionCounter().count())
					.isZero();
				assertThat(context.getBean(FallbackEngine.class).chatService().chat(dev.llmfallback.ChatRequest.of("hi"))
					.block().content()).isEqualTo("from p");
			});
	}

	@Test
	void unreachableRedisStartsOnLocalStateAndSaysSo() {
		this.runner
			.withPropertyValues("llm.fallback.state.store=redis", "spring.data.redis.host=127.0.0.1",
					"spring.data.redis.port=1", "llm.fallback.state.timeout=200ms")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				RedisSharedState state = context.getBean(RedisSharedState.class);
				await().atMost(Duration.ofSeconds(10)).until(() -> state.errors() > 0);
				assertThat(state.connected()).isFalse();
				HealthIndicator indicator = (HealthIndicator) context.getBean(LlmHealthContributor.class)
					.getContributor("state");
				assertThat(indicator.health().getDetails()).containsEntry("state", "local");
				assertThat(context.getBean(MeterRegistry.class).get("llm.fallback.state.errors").functionCounter().count())
					.isPositive();
				// Requests are served from local state meanwhile.
				assertThat(context.getBean(FallbackEngine.class).chatService().chat(dev.llmfallback.ChatRequest.of("hi"))
					.block().content()).isEqualTo("from p");
			});
	}

	@Test
	void localIsTheDefaultAndMakesNoSharedState() {
		this.runner.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(SharedState.class));
	}

	@Test
	void redisWithoutSpringDataRedisFailsStartUpNamingTheProperty() {
		this.runner.withClassLoader(new FilteredClassLoader("org.springframework.data.redis"))
			.withPropertyValues("llm.fallback.state.store=redis")
			.run((context) -> {
				assertThat(analysis(context).getDescription()).contains("llm.fallback.state.store");
				assertThat(analysis(context).getAction()).contains("spring-boot-starter-data-redis-reactive");
			});
	}

}
