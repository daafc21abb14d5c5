package dev.llmfallback.engine;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

import reactor.core.publisher.Mono;

import reactor.test.scheduler.VirtualTimeScheduler;

import dev.llmfallback.LlmException;
import dev.llmfallback.event.AttemptEvent;
import dev.llmfallback.event.FallbackEvent;
import dev.llmfallback.event.HopEvent;
import dev.llmfallback.policy.CooldownSpec;
import dev.llmfallback.policy.FallbackPolicy;
import dev.llmfallback.policy.ModelDefinition;
import dev.llmfallback.policy.ModelType;
import dev.llmfallback.policy.RetrySpec;
import dev.llmfallback.testing.ScriptedProvider;
import dev.llmfallback.testing.Step;

/**
 * Builds engines for tests: one scripted provider per model (named after it), a virtual-time
 * scheduler for every timer, and a list of the events the engine published.
 */
final class Fixture {

	final VirtualTimeScheduler time = VirtualTimeScheduler.create();

	final List<FallbackEvent> events = new CopyOnWriteArrayList<>();

	private final List<ScriptedProvider> providers = new ArrayList<>();

	private final List<ModelDefinition> models = new ArrayList<>();

	private final List<FallbackPolicy> policies = new ArrayList<>();

	/** Retries without jitter and a 100 ms, 200 ms, 400 ms back-off, so waits are exact. */
	static final RetrySpec EXACT_RETRY = RetrySpec.builder()
		.maxRetries(2)
		.initialBackoff(Duration.ofMillis(100))
		.multiplier(2)
		.maxBackoff(Duration.ofSeconds(5))
		.jitter(0)
		.maxRetryAfter(Duration.ofSeconds(10))
		.build();

	/** Adds a model served by its own scripted provider, and returns that provider. */
	ScriptedProvider model(String name, Step... script) {
		return model(ModelDefinition.builder(name).provider(name).build(), script);
	}

	ScriptedProvider model(ModelDefinition definition, Step... script) {
		return model(definition, UnaryOperator.identity(), script);
	}

	/** Adds a model served by its own scripted provider, customised (unsupported params, image tokens). */
	ScriptedProvider model(ModelDefinition definition, UnaryOperator<ScriptedProvider.Builder> provider,
			Step... script) {
		ScriptedProvider scripted = provider
			.apply(ScriptedProvider.builder(definition.provider()).then(script).scheduler(this.time))
			.build();
		this.providers.add(scripted);
		this.models.add(definition);
		return scripted;
	}

	/**
	 * Adds an embedding model of {@code dimensions} served by its own scripted provider (whose
	 * vectors have that length unless {@code provider} changes it), and returns that provider.
	 */
	ScriptedProvider embedding(String name, int dimensions, UnaryOperator<ScriptedProvider.Builder> provider,
			Step... script) {
		ScriptedProvider scripted = provider
			.apply(ScriptedProvider.builder(name).then(script).dimensions(dimensions).scheduler(this.time))
			.build();
		this.providers.add(scripted);
		this.models.add(ModelDefinition.builder(name)
			.provider(name)
			.type(ModelType.EMBEDDING)
			.dimensions(dimensions)
			.build());
		return scripted;
	}

	ScriptedProvider embedding(String name, int dimensions, Step... script) {
		return embedding(name, dimensions, UnaryOperator.identity(), script);
	}

	/** Adds a model whose provider answers "from NAME" forever after its script. */
	ScriptedProvider healthy(String name, Step... script) {
		ScriptedProvider provider = ScriptedProvider.builder(name)
			.then(script)
			.otherwise(Step.reply("from " + name))
			.scheduler(this.time)
			.build();
		this.providers.add(provider);
		this.models.add(ModelDefinition.builder(name).provider(name).build());
		return provider;
	}

	/** Adds a model whose provider fails every call with this step. */
	ScriptedProvider failing(String name, Step failure) {
		ScriptedProvider provider = ScriptedProvider.builder(name).otherwise(failure).scheduler(this.time).build();
		this.providers.add(provider);
		this.models.add(ModelDefinition.builder(name).provider(name).build());
		return provider;
	}

	Fixture policy(FallbackPolicy policy) {
		this.policies.add(policy);
		return this;
	}

	/** A policy "chat" over these models, exact retries, generous cooldown threshold, customised. */
	Fixture chain(Consumer<FallbackPolicy.Builder> customizer, String... models) {
		FallbackPolicy.Builder builder = FallbackPolicy.builder("chat")
			.models(models)
			.retry(EXACT_RETRY)
			.cooldown(CooldownSpec.builder().failures(100).build());
		customizer.accept(builder);
		return policy(builder.build());
	}

	/** Lifts the policy's max-attempts, for tests of other limits. */
	Fixture maxAttemptsUnbounded() {
		FallbackPolicy last = this.policies.remove(this.policies.size() - 1);
		this.policies.add(last.toBuilder().maxAttempts(1000).build());
		return this;
	}

	Fixture chain(String... models) {
		return chain((builder) -> {
		}, models);
	}

	FallbackEngine engine() {
		return builder().build();
	}

	/** The builder {@link #engine()} builds, to add to it. */
	FallbackEngine.Builder builder() {
		return FallbackEngine.builder()
			.providers(this.providers)
			.models(this.models)
			.policies(this.policies)
			.defaultPolicy(this.policies.get(0).name())
			.listener(this.events::add)
			.scheduler(this.time);
	}

	/**
	 * Subscribes and runs virtual time forward, a millisecond at a time, until the publisher ends
	 * (at most 15 virtual minutes), so the clock stops where the call ended.
	 */
	<T> Result<T> run(Mono<T> publisher) {
		AtomicReference<T> value = new AtomicReference<>();
		AtomicReference<Throwable> error = new AtomicReference<>();
		AtomicBoolean ended = new AtomicBoolean();
		publisher.doFinally((signal) -> ended.set(true)).subscribe(value::set, error::set);
		for (int i = 0; i < 15 * 60 * 1000 && !ended.get(); i++) {
			this.time.advanceTimeBy(Duration.ofMillis(1));
		}
		return new Result<>(value.get(), error.get());
	}

	/** Runs virtual time forward. */
	void advance(Duration duration) {
		this.time.advanceTimeBy(duration);
	}

	record Result<T>(T value, Throwable error) {

		T get() {
			if (this.error != null) {
				throw new AssertionError("expected a value but the call failed: " + this.error, this.error);
			}
			if (this.value == null) {
				throw new AssertionError("the call did not end");
			}
			return this.value;
		}

		LlmException failure() {
			if (!(this.error instanceof LlmException llm)) {
				throw new AssertionError("expected an LlmException but got " + this.error + " / " + this.value);
			}
			return llm;
		}

	}

	<T extends FallbackEvent> List<T> events(Class<T> type) {
		List<T> matching = new ArrayList<>();
		for (FallbackEvent event : this.events) {
			if (type.isInstance(event)) {
				matching.add(type.cast(event));
			}
		}
		return matching;
	}

	List<String> hops() {
		List<String> hops = new ArrayList<>();
		for (HopEvent hop : events(HopEvent.class)) {
			hops.add(hop.from() + "->" + hop.to() + ":" + hop.reason());
		}
		return hops;
	}

	List<String> attemptOutcomes() {
		List<String> outcomes = new ArrayList<>();
		for (AttemptEvent event : events(AttemptEvent.class)) {
			outcomes.add(event.attempt().model() + ":" + event.attempt().kind() + ":" + event.attempt().outcome());
		}
		return outcomes;
	}

}
