package dev.llmfallback.actuate;

import java.time.Duration;
import java.util.List;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

import dev.llmfallback.ChatRequest;
import dev.llmfallback.ErrorCategory;
import dev.llmfallback.engine.FallbackEngine;
import dev.llmfallback.event.FallbackEventListener;
import dev.llmfallback.policy.CooldownSpec;
import dev.llmfallback.policy.FallbackPolicy;
import dev.llmfallback.policy.ModelDefinition;
import dev.llmfallback.provider.ChatProvider;
import dev.llmfallback.testing.ScriptedProvider;
import dev.llmfallback.testing.Step;

/**
 * Application providers and properties for actuator tests: policy {@code chat} walks
 * {@code primary} (whose first call fails to connect) then {@code secondary}; policy
 * {@code locked} has only {@code keyless} (its key is always refused); policy {@code spare} has
 * only {@code idle}, never called. {@link #failSome} drives the failures; both cool a model at
 * once, for an hour (so that a slow test never sees a cooldown end).
 */
@Configuration(proxyBeanMethods = false)
public class ScriptedChain {

	public static final String[] PROPERTIES = { "llm.fallback.models.primary.provider=primary",
			"llm.fallback.models.secondary.provider=secondary", "llm.fallback.models.keyless.provider=keyless",
			"llm.fallback.models.idle.provider=secondary", "llm.fallback.policies.chat.models=primary,secondary",
			"llm.fallback.policies.locked.models=keyless", "llm.fallback.policies.spare.models=idle",
			"llm.fallback.default-policy=chat", "llm.fallback.policies.chat.cooldown.duration=1h",
			"llm.fallback.policies.locked.cooldown.duration=1h" };

	/** How long the failures cool a model. */
	public static final Duration COOLDOWN = Duration.ofHours(1);

	@Bean
	ChatProvider primary() {
		return ScriptedProvider.builder("primary")
			.then(Step.fail(ErrorCategory.CONNECTION))
			.otherwise(Step.reply("from primary"))
			.build();
	}

	@Bean
	ChatProvider secondary() {
		return ScriptedProvider.replying("secondary", "from secondary");
	}

	@Bean
	ChatProvider keyless() {
		return ScriptedProvider.builder("keyless").otherwise(Step.fail(ErrorCategory.AUTHENTICATION)).build();
	}

	/**
	 * The same chain as an engine of its own, with its own providers.
	 * @param scheduler the engine's scheduler (and time)
	 * @param listeners listeners of its events
	 * @return the engine
	 */
	public static FallbackEngine engine(Scheduler scheduler, FallbackEventListener... listeners) {
		ScriptedChain chain = new ScriptedChain();
		CooldownSpec cooldown = CooldownSpec.builder().duration(COOLDOWN).build();
		return FallbackEngine.builder()
			.providers(List.of(chain.primary(), chain.secondary(), chain.keyless()))
			.model(ModelDefinition.builder("primary").provider("primary").build())
			.model(ModelDefinition.builder("secondary").provider("secondary").build())
			.model(ModelDefinition.builder("keyless").provider("keyless").build())
			.model(ModelDefinition.builder("idle").provider("secondary").build())
			.policy(FallbackPolicy.builder("chat").models("primary", "secondary").cooldown(cooldown).build())
			.policy(FallbackPolicy.builder("locked").models("keyless").cooldown(cooldown).build())
			.policy(FallbackPolicy.builder("spare").models("idle").build())
			.defaultPolicy("chat")
			.listeners(List.of(listeners))
			.scheduler(scheduler)
			.build();
	}

	/**
	 * One request to {@code chat} (primary fails to connect, secondary answers) and one to
	 * {@code locked} (keyless refuses the key; the request fails).
	 * @param engine the engine
	 */
	public static void failSome(FallbackEngine engine) {
		engine.chatService("chat").chat(ChatRequest.of("hi")).block();
		engine.chatService("locked").chat(ChatRequest.of("hi")).onErrorResume((ex) -> Mono.empty()).block();
	}

}
