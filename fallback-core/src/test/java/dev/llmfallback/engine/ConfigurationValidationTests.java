package dev.llmfallback.engine;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.llmfallback.ErrorCategory;
import dev.llmfallback.policy.CooldownSpec;
import dev.llmfallback.policy.FallbackConfigurationException;
import dev.llmfallback.policy.FallbackPolicy;
import dev.llmfallback.policy.ModelDefinition;
import dev.llmfallback.policy.RetrySpec;
import dev.llmfallback.testing.ScriptedProvider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** A configuration that cannot work fails when the engine is built, naming the property and the fix. */
class ConfigurationValidationTests {

	private static FallbackEngine.Builder twoModels() {
		return FallbackEngine.builder()
			.provider(ScriptedProvider.replying("openai", "hi"))
			.model(ModelDefinition.builder("gpt").provider("openai").build())
			.model(ModelDefinition.builder("mini").provider("openai").build());
	}

	@Test
	void aPolicyNamingAnUnknownModelFails() {
		assertThatExceptionOfType(FallbackConfigurationException.class)
			.isThrownBy(() -> twoModels().policy(FallbackPolicy.builder("chat").models("gpt", "claude").build()).build())
			.satisfies((ex) -> {
				assertThat(ex.property()).isEqualTo("policies.chat.models[1]");
				assertThat(ex.problem()).contains("'claude'");
				assertThat(ex.action()).contains("llm.fallback.models.claude").contains("gpt, mini");
			});
	}

	@Test
	void aNameDefinedTwiceFailsNamingIt() {
		assertThatExceptionOfType(FallbackConfigurationException.class)
			.isThrownBy(() -> twoModels().model(ModelDefinition.builder("gpt").provider("openai").build()))
			.satisfies((ex) -> {
				assertThat(ex.property()).isEqualTo("models.gpt");
				assertThat(ex.problem()).isEqualTo("is defined twice");
				assertThat(ex.action()).isEqualTo("Give each model a unique name");
			});
		assertThatExceptionOfType(FallbackConfigurationException.class)
			.isThrownBy(() -> twoModels().provider(ScriptedProvider.replying("openai", "again")))
			.satisfies((ex) -> assertThat(ex.property()).isEqualTo("providers.openai"));
		FallbackPolicy chat = FallbackPolicy.builder("chat").models("gpt").build();
		assertThatExceptionOfType(FallbackConfigurationException.class)
			.isThrownBy(() -> twoModels().policy(chat).policy(chat))
			.satisfies((ex) -> assertThat(ex.property()).isEqualTo("policies.chat"));
	}

	@Test
	void anUnknownContextWindowFallbackFails() {
		assertThatExceptionOfType(FallbackConfigurationException.class)
			.isThrownBy(() -> twoModels()
				.policy(FallbackPolicy.builder("chat").models("gpt").contextWindowFallbacks("huge").build())
				.build())
			.satisfies((ex) -> assertThat(ex.property()).isEqualTo("policies.chat.context-window-fallbacks[0]"));
	}

	@Test
	void aModelNamingAnUnknownProviderFails() {
		assertThatExceptionOfType(FallbackConfigurationException.class)
			.isThrownBy(() -> twoModels().model(ModelDefinition.builder("claude").provider("anthropic").build())
				.policy(FallbackPolicy.builder("chat").models("gpt").build())
				.build())
			.satisfies((ex) -> {
				assertThat(ex.property()).isEqualTo("models.claude.provider");
				assertThat(ex.action()).contains("llm.fallback.providers.anthropic").contains("openai");
			});
	}

	@Test
	void anEmptyChainFails() {
		assertThatExceptionOfType(FallbackConfigurationException.class)
			.isThrownBy(() -> FallbackPolicy.builder("chat").build())
			.satisfies((ex) -> {
				assertThat(ex.property()).isEqualTo("policies.chat.models");
				assertThat(ex.problem()).contains("empty");
			});
	}

	@Test
	void aModelListedTwiceIsACycle() {
		assertThatExceptionOfType(FallbackConfigurationException.class)
			.isThrownBy(() -> FallbackPolicy.builder("chat").models("gpt", "mini", "gpt").build())
			.satisfies((ex) -> {
				assertThat(ex.property()).isEqualTo("policies.chat.models[2]");
				assertThat(ex.problem()).contains("cycle").contains("gpt -> mini -> gpt");
			});
	}

	@Test
	void aCycleInAFallbackListFails() {
		assertThatExceptionOfType(FallbackConfigurationException.class)
			.isThrownBy(() -> FallbackPolicy.builder("chat").models("gpt").contentPolicyFallbacks("mini", "mini").build())
			.satisfies((ex) -> assertThat(ex.property()).isEqualTo("policies.chat.content-policy-fallbacks[1]"));
	}

	@Test
	void aModelMayBeItsChainsContextWindowFallback() {
		// DESIGN.md's own example: claude-haiku is in the chain and its context-window fallback.
		FallbackEngine engine = twoModels()
			.policy(FallbackPolicy.builder("chat").models("gpt", "mini").contextWindowFallbacks("mini").build())
			.build();
		assertThat(engine.policies()).containsKey("chat");
	}

	@Test
	void noPolicyFails() {
		assertThatExceptionOfType(FallbackConfigurationException.class).isThrownBy(() -> twoModels().build())
			.satisfies((ex) -> assertThat(ex.property()).isEqualTo("policies"));
	}

	@Test
	void anUnknownDefaultPolicyFails() {
		assertThatExceptionOfType(FallbackConfigurationException.class)
			.isThrownBy(() -> twoModels().policy(FallbackPolicy.builder("chat").models("gpt").build())
				.defaultPolicy("missing")
				.build())
			.satisfies((ex) -> {
				assertThat(ex.property()).isEqualTo("default-policy");
				assertThat(ex.action()).contains("chat");
			});
	}

	@Test
	void severalPoliciesNeedADefault() {
		assertThatExceptionOfType(FallbackConfigurationException.class)
			.isThrownBy(() -> twoModels().policy(FallbackPolicy.builder("a").models("gpt").build())
				.policy(FallbackPolicy.builder("b").models("mini").build())
				.build())
			.satisfies((ex) -> assertThat(ex.property()).isEqualTo("default-policy"));
	}

	@Test
	void theOnlyPolicyIsTheDefault() {
		FallbackEngine engine = twoModels().policy(FallbackPolicy.builder("only").models("gpt").build()).build();
		assertThat(engine.defaultPolicy()).isEqualTo("only");
	}

	@Test
	void negativeDurationsFailNamingTheProperty() {
		assertThatExceptionOfType(FallbackConfigurationException.class)
			.isThrownBy(() -> FallbackPolicy.builder("chat").models("gpt").timeout(Duration.ofSeconds(-1)).build())
			.satisfies((ex) -> assertThat(ex.property()).isEqualTo("policies.chat.timeout"));
		assertThatExceptionOfType(FallbackConfigurationException.class)
			.isThrownBy(() -> RetrySpec.builder().initialBackoff(Duration.ofMillis(-5)).build())
			.satisfies((ex) -> assertThat(ex.property()).isEqualTo("retry.initial-backoff"));
		assertThatExceptionOfType(FallbackConfigurationException.class)
			.isThrownBy(() -> CooldownSpec.builder().window(Duration.ZERO).build())
			.satisfies((ex) -> assertThat(ex.property()).isEqualTo("cooldown.window"));
		assertThatExceptionOfType(FallbackConfigurationException.class)
			.isThrownBy(() -> ModelDefinition.builder("gpt").provider("openai").timeout(Duration.ofSeconds(-3)).build())
			.satisfies((ex) -> assertThat(ex.property()).isEqualTo("models.gpt.timeout"));
	}

	@Test
	void outOfRangeNumbersFail() {
		assertThatExceptionOfType(FallbackConfigurationException.class)
			.isThrownBy(() -> RetrySpec.builder().jitter(1.5).build())
			.satisfies((ex) -> assertThat(ex.property()).isEqualTo("retry.jitter"));
		assertThatExceptionOfType(FallbackConfigurationException.class)
			.isThrownBy(() -> RetrySpec.builder().maxRetries(-1).build())
			.satisfies((ex) -> assertThat(ex.property()).isEqualTo("retry.max-retries"));
		assertThatExceptionOfType(FallbackConfigurationException.class)
			.isThrownBy(() -> FallbackPolicy.builder("chat").models("gpt").maxAttempts(0).build())
			.satisfies((ex) -> assertThat(ex.property()).isEqualTo("policies.chat.max-attempts"));
		assertThatExceptionOfType(FallbackConfigurationException.class)
			.isThrownBy(() -> RetrySpec.builder().initialBackoff(Duration.ofSeconds(10)).maxBackoff(Duration.ofSeconds(1)).build())
			.satisfies((ex) -> assertThat(ex.property()).isEqualTo("retry.max-backoff"));
	}

	@Test
	void cancelledCannotBeRetriedNorFallenBackOn() {
		assertThatExceptionOfType(FallbackConfigurationException.class)
			.isThrownBy(() -> FallbackPolicy.builder("chat").models("gpt").retryOn(ErrorCategory.CANCELLED).build())
			.satisfies((ex) -> assertThat(ex.property()).isEqualTo("policies.chat.retry-on"));
	}

	@Test
	void duplicateNamesFail() {
		assertThatExceptionOfType(FallbackConfigurationException.class)
			.isThrownBy(() -> twoModels().model(ModelDefinition.builder("gpt").provider("openai").build()))
			.satisfies((ex) -> assertThat(ex.property()).isEqualTo("models.gpt"));
	}

	@Test
	void policyDefaultsAreDesignDefaults() {
		FallbackPolicy policy = FallbackPolicy.builder("chat").models("gpt").build();
		assertThat(policy.timeout()).isEqualTo(Duration.ofSeconds(30));
		assertThat(policy.deadline()).isEqualTo(Duration.ofSeconds(60));
		assertThat(policy.maxAttempts()).isEqualTo(6);
		assertThat(policy.firstTokenTimeout()).isEqualTo(Duration.ofSeconds(10));
		assertThat(policy.idleTimeout()).isEqualTo(Duration.ofSeconds(30));
		assertThat(policy.cooldown().failures()).isEqualTo(3);
		assertThat(policy.cooldown().window()).isEqualTo(Duration.ofSeconds(60));
		assertThat(policy.cooldown().duration()).isEqualTo(Duration.ofSeconds(30));
		assertThat(policy.retryOn()).containsExactlyInAnyOrder(ErrorCategory.RATE_LIMIT,
				ErrorCategory.SERVICE_UNAVAILABLE, ErrorCategory.SERVER_ERROR, ErrorCategory.TIMEOUT,
				ErrorCategory.INVALID_RESPONSE);
		assertThat(policy.fallbackOn()).doesNotContain(ErrorCategory.BAD_REQUEST, ErrorCategory.CANCELLED);
		assertThat(policy.referencedModels()).containsExactly("gpt");
		assertThat(List.copyOf(policy.toBuilder().build().models())).containsExactly("gpt");
	}

}
