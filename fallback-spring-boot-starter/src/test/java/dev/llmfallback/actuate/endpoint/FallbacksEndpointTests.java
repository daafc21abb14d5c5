package dev.llmfallback.actuate.endpoint;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import reactor.core.scheduler.Schedulers;

import dev.llmfallback.actuate.ScriptedChain;
import dev.llmfallback.actuate.endpoint.FallbacksEndpoint.FallbacksDescriptor;
import dev.llmfallback.actuate.endpoint.FallbacksEndpoint.ModelDescriptor;
import dev.llmfallback.actuate.endpoint.FallbacksEndpoint.PolicyDescriptor;
import dev.llmfallback.actuate.endpoint.ResettableFallbacksEndpoint.ResetDescriptor;
import dev.llmfallback.actuate.health.LlmHealthContributor;
import dev.llmfallback.engine.FallbackEngine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class FallbacksEndpointTests {

	private static final Instant NOW = Instant.parse("2026-11-22T03:00:00Z");

	private final RecentHops hops = new RecentHops(10, Clock.fixed(NOW, ZoneOffset.UTC));

	private final RecentOutcomes outcomes = new RecentOutcomes(10, Clock.fixed(NOW, ZoneOffset.UTC));

	private final FallbackEngine engine = ScriptedChain.engine(Schedulers.parallel(), this.hops, this.outcomes);

	private final ResettableFallbacksEndpoint endpoint = new ResettableFallbacksEndpoint(this.engine, this.hops,
			this.outcomes, Clock.fixed(NOW.plusSeconds(2), ZoneOffset.UTC));

	@Test
	void listsEveryPolicyWithItsChainInOrder() {
		FallbacksDescriptor fallbacks = this.endpoint.fallbacks();
		assertThat(fallbacks.defaultPolicy()).isEqualTo("chat");
		assertThat(fallbacks.policies()).containsOnlyKeys("chat", "locked", "spare");
		assertThat(fallbacks.policies().keySet()).containsExactly("chat", "locked", "spare");
		PolicyDescriptor chat = fallbacks.policies().get("chat");
		assertThat(chat.isDefault()).isTrue();
		assertThat(chat.models()).extracting(ModelDescriptor::model).containsExactly("primary", "secondary");
		assertThat(fallbacks.recentHops()).isEmpty();
	}

	@Test
	void showsEachModelsStateAfterFailures() {
		ScriptedChain.failSome(this.engine);
		FallbacksDescriptor fallbacks = this.endpoint.fallbacks();
		PolicyDescriptor chat = fallbacks.policies().get("chat");
		assertThat(chat.available()).isTrue();
		ModelDescriptor primary = chat.models().get(0);
		assertThat(primary.model()).isEqualTo("primary");
		assertThat(primary.provider()).isEqualTo("primary");
		assertThat(primary.state()).isEqualTo("COOLING_DOWN");
		assertThat(primary.available()).isFalse();
		assertThat(primary.called()).isTrue();
		assertThat(primary.lastError()).isEqualTo("connection");
		assertThat(primary.lastErrorAt()).isNotNull();
		assertThat(primary.cooldownReason()).isEqualTo("connection");
		assertThat(primary.cooldownUntil()).isAfter(primary.lastErrorAt());
		assertThat(primary.failedTrials()).isZero();
		ModelDescriptor secondary = chat.models().get(1);
		assertThat(secondary.state()).isEqualTo("AVAILABLE");
		assertThat(secondary.lastError()).isNull();
		assertThat(secondary.cooldownUntil()).isNull();
		PolicyDescriptor locked = fallbacks.policies().get("locked");
		assertThat(locked.available()).isFalse();
		assertThat(locked.models().get(0).cooldownReason()).isEqualTo("authentication");
		ModelDescriptor idle = fallbacks.policies().get("spare").models().get(0);
		assertThat(idle.called()).isFalse();
	}

	@Test
	void showsRecentHopsNewestFirst() {
		ScriptedChain.failSome(this.engine);
		this.engine.chatService("chat").chat(dev.llmfallback.ChatRequest.of("again")).block();
		assertThat(this.endpoint.fallbacks().recentHops()).containsExactly(
				new RecentHops.Hop(NOW, "chat", "primary", "secondary", "cooldown"),
				new RecentHops.Hop(NOW, "chat", "primary", "secondary", "connection"));
	}

	@Test
	void showsEachModelsRecentOutcomesNewestFirstAndTheServersTime() {
		ScriptedChain.failSome(this.engine);
		this.engine.chatService("chat").chat(dev.llmfallback.ChatRequest.of("again")).block();
		FallbacksDescriptor fallbacks = this.endpoint.fallbacks();
		assertThat(fallbacks.recentOutcomes().keySet()).containsExactly("primary", "secondary", "keyless", "idle");
		assertThat(fallbacks.recentOutcomes().get("primary")).extracting(RecentOutcomes.Outcome::outcome,
				RecentOutcomes.Outcome::skipReason, RecentOutcomes.Outcome::policy)
			.containsExactly(org.assertj.core.groups.Tuple.tuple("skipped", "cooldown", "chat"),
					org.assertj.core.groups.Tuple.tuple("connection", null, "chat"));
		assertThat(fallbacks.recentOutcomes().get("secondary")).extracting(RecentOutcomes.Outcome::outcome)
			.containsExactly("success", "success");
		assertThat(fallbacks.recentOutcomes().get("keyless")).extracting(RecentOutcomes.Outcome::outcome)
			.containsExactly("authentication");
		assertThat(fallbacks.recentOutcomes().get("idle")).isEmpty();
		assertThat(fallbacks.now()).isEqualTo(NOW.plusSeconds(2));
	}

	@Test
	void withoutARingOfOutcomesListsNone() {
		ScriptedChain.failSome(this.engine);
		FallbacksDescriptor fallbacks = new FallbacksEndpoint(this.engine, this.hops).fallbacks();
		assertThat(fallbacks.recentOutcomes()).containsOnlyKeys("primary", "secondary", "keyless", "idle")
			.allSatisfy((model, outcomes) -> assertThat(outcomes).isEmpty());
		assertThat(fallbacks.now()).isNotNull();
	}

	@Test
	void showsOnePolicy() {
		ScriptedChain.failSome(this.engine);
		PolicyDescriptor locked = this.endpoint.policy("locked");
		assertThat(locked.name()).isEqualTo("locked");
		assertThat(locked.isDefault()).isFalse();
		assertThat(locked.models()).extracting(ModelDescriptor::state).containsExactly("COOLING_DOWN");
	}

	@Test
	void anUnknownPolicyIsNull() {
		assertThat(this.endpoint.policy("nope")).isNull();
	}

	@Test
	void resetEndsACooldown() {
		ScriptedChain.failSome(this.engine);
		HealthIndicator primaryHealth = (HealthIndicator) new LlmHealthContributor(this.engine, false)
			.getContributor("primary");
		assertThat(primaryHealth.health().getStatus()).isEqualTo(LlmHealthContributor.COOLING_DOWN);
		ResetDescriptor reset = this.endpoint.act("primary", "reset");
		assertThat(reset.model()).isEqualTo("primary");
		assertThat(reset.action()).isEqualTo("reset");
		assertThat(reset.wasCoolingDown()).isTrue();
		assertThat(reset.status().state()).isEqualTo("AVAILABLE");
		assertThat(this.endpoint.policy("chat").models().get(0).state()).isEqualTo("AVAILABLE");
		assertThat(primaryHealth.health().getStatus()).isEqualTo(Status.UP);
	}

	@Test
	void resetOfAModelNotCoolingDownSaysSo() {
		ResetDescriptor reset = this.endpoint.act("secondary", "reset");
		assertThat(reset.wasCoolingDown()).isFalse();
		assertThat(reset.status().state()).isEqualTo("AVAILABLE");
	}

	@Test
	void resetOfAnUnknownModelIsABadRequest() {
		assertThatExceptionOfType(InvalidEndpointRequestException.class)
			.isThrownBy(() -> this.endpoint.act("nope", "reset"))
			.withMessageContaining("Unknown model 'nope'")
			.withMessageContaining("primary, secondary, keyless, idle")
			.satisfies((ex) -> assertThat(ex.getReason()).isEqualTo("Unknown model"));
	}

	@Test
	void anUnknownActionIsABadRequest() {
		ScriptedChain.failSome(this.engine);
		assertThatExceptionOfType(InvalidEndpointRequestException.class)
			.isThrownBy(() -> this.endpoint.act("primary", "restart"))
			.withMessageContaining("Unknown action 'restart'")
			.satisfies((ex) -> assertThat(ex.getReason()).isEqualTo("Unknown action"));
		assertThat(this.engine.modelStatus("primary").available()).isFalse();
	}

}
