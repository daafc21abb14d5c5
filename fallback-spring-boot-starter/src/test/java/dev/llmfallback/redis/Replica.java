package dev.llmfallback.redis;

import java.time.Duration;
import java.util.List;

import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import org.jspecify.annotations.Nullable;

import dev.llmfallback.engine.FallbackEngine;
import dev.llmfallback.policy.DeploymentDefinition;
import dev.llmfallback.policy.CooldownSpec;
import dev.llmfallback.policy.FallbackPolicy;
import dev.llmfallback.policy.ModelDefinition;
import dev.llmfallback.policy.RetrySpec;
import dev.llmfallback.provider.ChatProvider;

import static org.awaitility.Awaitility.await;

/**
 * One replica of an application in a test: its own Redis connection, its own {@link RedisSharedState}
 * and its own engine, with the chain {@code primary} (provider {@code p}) then {@code secondary}
 * (provider {@code s}), no retries, so that each failure is one call.
 */
final class Replica implements AutoCloseable {

	final LettuceConnectionFactory connection;

	final RedisSharedState state;

	final FallbackEngine engine;

	Replica(int port, String prefix, CooldownSpec cooldown, ChatProvider primary, ChatProvider secondary) {
		this(port, prefix, cooldown, primary, secondary, null);
	}

	/** With {@code rpm}, {@code primary} is one deployment with that limit. */
	Replica(int port, String prefix, CooldownSpec cooldown, ChatProvider primary, ChatProvider secondary,
			@Nullable Integer rpm) {
		this(port, prefix, cooldown, primary, secondary, rpm, Duration.ofSeconds(30));
	}

	Replica(int port, String prefix, CooldownSpec cooldown, ChatProvider primary, ChatProvider secondary,
			@Nullable Integer rpm, Duration trialLease) {
		this.connection = new LettuceConnectionFactory(new RedisStandaloneConfiguration("127.0.0.1", port));
		this.connection.afterPropertiesSet();
		this.connection.start();
		this.state = new RedisSharedState(this.connection, prefix, trialLease, Duration.ofMillis(500));
		this.engine = FallbackEngine.builder()
			.providers(List.of(primary, secondary))
			.model(ModelDefinition.builder("primary")
				.provider(primary.name())
				.model("gpt-4o")
				.deployments((rpm != null) ? List.of(new DeploymentDefinition(primary.name(), "gpt-4o", 1, rpm, null))
						: List.of())
				.build())
			.model(ModelDefinition.builder("secondary").provider(secondary.name()).model("gpt-4o-mini").build())
			.policy(FallbackPolicy.builder("chat")
				.models("primary", "secondary")
				.retry(RetrySpec.builder().maxRetries(0).build())
				.cooldown(cooldown)
				.build())
			.sharedState(this.state)
			.eventLog(false)
			.build();
		await().atMost(Duration.ofSeconds(10)).until(this.state::connected);
	}

	boolean primaryCooling() {
		return !this.engine.modelStatus("primary").available();
	}

	@Override
	public void close() {
		this.state.destroy();
		this.connection.destroy();
	}

}
