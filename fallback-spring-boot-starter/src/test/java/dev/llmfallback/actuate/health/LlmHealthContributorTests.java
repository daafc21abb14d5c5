package dev.llmfallback.actuate.health;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthContributors;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.test.scheduler.VirtualTimeScheduler;

import dev.llmfallback.ChatRequest;
import dev.llmfallback.actuate.ScriptedChain;
import dev.llmfallback.engine.FallbackEngine;
import dev.llmfallback.policy.FallbackPolicy;
import dev.llmfallback.policy.ModelDefinition;
import dev.llmfallback.testing.ScriptedProvider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

class LlmHealthContributorTests {

	private final FallbackEngine engine = ScriptedChain.engine(Schedulers.parallel());

	private static Health health(LlmHealthContributor contributor, String name) {
		return ((HealthIndicator) contributor.getContributor(name)).health();
	}

	@SuppressWarnings("unchecked")
	private static Map<String, String> chain(Health policy) {
		return (Map<String, String>) policy.getDetails().get("chain");
	}

	@Test
	void hasOneChildPerModelThenPerPolicy() {
		assertThat(new LlmHealthContributor(this.engine, false).stream().map(HealthContributors.Entry::name))
			.containsExactly("primary", "secondary", "keyless", "idle", "chat", "locked", "spare");
	}

	@Test
	void aModelNeverCalledIsUnknown() {
		LlmHealthContributor contributor = new LlmHealthContributor(this.engine, false);
		assertThat(health(contributor, "primary").getStatus()).isEqualTo(Status.UNKNOWN);
		assertThat(health(contributor, "primary").getDetails()).contains(entry("state", "AVAILABLE"),
				entry("provider", "primary"));
	}

	@Test
	void aModelThatAnsweredIsUp() {
		ScriptedChain.failSome(this.engine);
		Health secondary = health(new LlmHealthContributor(this.engine, false), "secondary");
		assertThat(secondary.getStatus()).isEqualTo(Status.UP);
		assertThat(secondary.getDetails()).contains(entry("state", "AVAILABLE"), entry("failuresInWindow", 0))
			.doesNotContainKeys("lastError", "cooldownUntil");
	}

	@Test
	void aCoolingModelIsCoolingDownWithDetails() {
		ScriptedChain.failSome(this.engine);
		Health primary = health(new LlmHealthContributor(this.engine, false), "primary");
		assertThat(primary.getStatus()).isEqualTo(LlmHealthContributor.COOLING_DOWN);
		assertThat(primary.getDetails()).contains(entry("model", "primary"), entry("provider", "primary"),
				entry("state", "COOLING_DOWN"), entry("available", false), entry("lastError", "connection"),
				entry("cooldownReason", "connection"), entry("failedTrials", 0))
			.containsKeys("lastErrorAt", "cooldownUntil", "failuresInWindow");
	}

	@Test
	void aModelWhoseKeyWasRefusedIsCoolingDown() {
		ScriptedChain.failSome(this.engine);
		Health keyless = health(new LlmHealthContributor(this.engine, false), "keyless");
		assertThat(keyless.getStatus()).isEqualTo(LlmHealthContributor.COOLING_DOWN);
		assertThat(keyless.getDetails()).contains(entry("lastError", "authentication"),
				entry("cooldownReason", "authentication"));
	}

	@Test
	void aModelWaitingForItsTrialIsStillCoolingDown() {
		VirtualTimeScheduler time = VirtualTimeScheduler.create();
		FallbackEngine engine = ScriptedChain.engine(time);
		ScriptedChain.failSome(engine);
		time.advanceTimeBy(ScriptedChain.COOLDOWN.plusSeconds(1));
		LlmHealthContributor contributor = new LlmHealthContributor(engine, false);
		Health keyless = health(contributor, "keyless");
		assertThat(keyless.getStatus()).isEqualTo(LlmHealthContributor.COOLING_DOWN);
		assertThat(keyless.getDetails()).contains(entry("state", "HALF_OPEN"), entry("available", true));
		// The trial is due, so the policy would call the model: it is up.
		assertThat(health(contributor, "locked").getStatus()).isEqualTo(Status.UP);
	}

	@Test
	void aModelIsUpAgainAfterASuccessfulTrial() {
		VirtualTimeScheduler time = VirtualTimeScheduler.create();
		FallbackEngine engine = ScriptedChain.engine(time);
		ScriptedChain.failSome(engine);
		time.advanceTimeBy(ScriptedChain.COOLDOWN.plusSeconds(1));
		engine.chatService("chat").chat(ChatRequest.of("again")).block();
		Health primary = health(new LlmHealthContributor(engine, false), "primary");
		assertThat(primary.getStatus()).isEqualTo(Status.UP);
		assertThat(primary.getDetails()).contains(entry("state", "AVAILABLE"), entry("lastError", "connection"))
			.doesNotContainKeys("cooldownReason", "cooldownUntil");
	}

	@Test
	void aResetModelIsUpAgain() {
		ScriptedChain.failSome(this.engine);
		this.engine.resetCooldown("primary");
		assertThat(health(new LlmHealthContributor(this.engine, false), "primary").getStatus()).isEqualTo(Status.UP);
	}

	@Test
	void aPolicyIsUpWhileAnyModelOfItsChainIsAvailable() {
		ScriptedChain.failSome(this.engine);
		Health chat = health(new LlmHealthContributor(this.engine, false), "chat");
		assertThat(chat.getStatus()).isEqualTo(Status.UP);
		assertThat(chat.getDetails()).contains(entry("policy", "chat"), entry("default", true));
		assertThat(chain(chat)).containsExactly(entry("primary", "COOLING_DOWN"), entry("secondary", "AVAILABLE"));
	}

	@Test
	void aPolicyIsCoolingDownWhenEveryModelOfItsChainIs() {
		ScriptedChain.failSome(this.engine);
		Health locked = health(new LlmHealthContributor(this.engine, false), "locked");
		assertThat(locked.getStatus()).isEqualTo(LlmHealthContributor.COOLING_DOWN);
		assertThat(locked.getDetails()).contains(entry("default", false));
		assertThat(chain(locked)).containsExactly(entry("keyless", "COOLING_DOWN"));
	}

	@Test
	void aPolicyWhoseModelsWereNeverCalledIsUp() {
		assertThat(health(new LlmHealthContributor(this.engine, false), "spare").getStatus()).isEqualTo(Status.UP);
	}

	@Test
	void strictModeReportsCoolingAsDown() {
		ScriptedChain.failSome(this.engine);
		LlmHealthContributor contributor = new LlmHealthContributor(this.engine, true);
		assertThat(health(contributor, "primary").getStatus()).isEqualTo(Status.DOWN);
		assertThat(health(contributor, "keyless").getStatus()).isEqualTo(Status.DOWN);
		assertThat(health(contributor, "locked").getStatus()).isEqualTo(Status.DOWN);
		assertThat(health(contributor, "chat").getStatus()).isEqualTo(Status.UP);
		assertThat(health(contributor, "idle").getStatus()).isEqualTo(Status.UNKNOWN);
	}

	@Test
	void aPolicyNamedLikeAModelIsRenamed() {
		FallbackEngine engine = FallbackEngine.builder()
			.provider(ScriptedProvider.replying("openai", "hi"))
			.model(ModelDefinition.builder("gpt-4o").provider("openai").build())
			.model(ModelDefinition.builder("gpt-4o-policy").provider("openai").build())
			.model(ModelDefinition.builder("meta/llama").provider("openai").build())
			.policy(FallbackPolicy.builder("gpt-4o").models("gpt-4o", "meta/llama").build())
			.defaultPolicy("gpt-4o")
			.build();
		LlmHealthContributor contributor = new LlmHealthContributor(engine, false);
		assertThat(contributor.stream().map(HealthContributors.Entry::name)).containsExactly("gpt-4o",
				"gpt-4o-policy", "meta_llama", "gpt-4o-policy-2");
		assertThat(health(contributor, "gpt-4o-policy-2").getDetails()).contains(entry("policy", "gpt-4o"));
		assertThat(health(contributor, "meta_llama").getDetails()).contains(entry("model", "meta/llama"));
	}

	@Test
	void healthFollowsTheEngineAsItChanges() {
		LlmHealthContributor contributor = new LlmHealthContributor(this.engine, false);
		assertThat(health(contributor, "keyless").getStatus()).isEqualTo(Status.UNKNOWN);
		this.engine.chatService("locked").chat(ChatRequest.of("hi")).onErrorResume((ex) -> Mono.empty()).block();
		assertThat(health(contributor, "keyless").getStatus()).isEqualTo(LlmHealthContributor.COOLING_DOWN);
	}

}
