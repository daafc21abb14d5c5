package dev.llmfallback.engine;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;
import reactor.test.scheduler.VirtualTimeScheduler;

import dev.llmfallback.AttemptKind;
import dev.llmfallback.ChatRequest;
import dev.llmfallback.ChatResponse;
import dev.llmfallback.ErrorCategory;
import dev.llmfallback.SkipReason;
import dev.llmfallback.event.AttemptEvent;
import dev.llmfallback.event.FallbackEvent;
import dev.llmfallback.policy.CooldownSpec;
import dev.llmfallback.policy.DeploymentDefinition;
import dev.llmfallback.policy.FallbackConfigurationException;
import dev.llmfallback.policy.FallbackPolicy;
import dev.llmfallback.policy.ModelDefinition;
import dev.llmfallback.policy.RetrySpec;
import dev.llmfallback.policy.Routing;
import dev.llmfallback.testing.ScriptedProvider;
import dev.llmfallback.testing.Step;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.within;

/** A model served by several deployments: each routing mode, cooldowns and limits per deployment. */
class RoutingTests {

	private final VirtualTimeScheduler time = VirtualTimeScheduler.create();

	private final List<FallbackEvent> events = new CopyOnWriteArrayList<>();

	private final List<ScriptedProvider> providers = new ArrayList<>();

	private final List<ModelDefinition> models = new ArrayList<>();

	/** When each deployment was called, in virtual milliseconds. */
	private final Map<String, List<Long>> callTimes = new java.util.concurrent.ConcurrentHashMap<>();

	private ScriptedProvider provider(String name, Step otherwise, Step... script) {
		ScriptedProvider provider = ScriptedProvider.builder(name)
			.then(script)
			.otherwise(otherwise)
			.scheduler(this.time)
			.build();
		this.providers.add(provider);
		return provider;
	}

	private static DeploymentDefinition deployment(String provider, double weight, Integer rpm, Integer tpm) {
		return DeploymentDefinition.of("models.m.deployments[0]", provider, null, "m-1", weight, rpm, tpm);
	}

	private FallbackEngine engine(Routing routing, Consumer<FallbackPolicy.Builder> customizer, String... chain) {
		FallbackPolicy.Builder policy = FallbackPolicy.builder("chat")
			.models(chain)
			.routing(routing)
			.retry(RetrySpec.builder().maxRetries(2).initialBackoff(Duration.ofMillis(100)).jitter(0).build())
			.cooldown(CooldownSpec.builder().failures(100).build());
		customizer.accept(policy);
		return FallbackEngine.builder()
			.providers(this.providers)
			.models(this.models)
			.policy(policy.build())
			.listener(this.events::add)
			.listener((event) -> {
				if (event instanceof AttemptEvent attempt && !attempt.attempt().skipped()) {
					this.callTimes.computeIfAbsent(attempt.deployment(), (k) -> new CopyOnWriteArrayList<>())
						.add(this.time.now(java.util.concurrent.TimeUnit.MILLISECONDS));
				}
			})
			.scheduler(this.time)
			.random(new SplittableRandom(42))
			.build();
	}

	private ChatResponse chat(FallbackEngine engine) {
		ChatResponse[] response = new ChatResponse[1];
		Throwable[] error = new Throwable[1];
		engine.chatService().chat(ChatRequest.of("hi")).subscribe((value) -> response[0] = value, (e) -> error[0] = e);
		for (int i = 0; i < 600_000 && response[0] == null && error[0] == null; i++) {
			this.time.advanceTimeBy(Duration.ofMillis(1));
		}
		if (error[0] != null) {
			throw new AssertionError(error[0]);
		}
		return response[0];
	}

	@Test
	void weightedRoutingSharesTrafficByWeightWithinTwoPercentOver10000Picks() {
		ScriptedProvider a = provider("a", Step.reply("a"));
		ScriptedProvider b = provider("b", Step.reply("b"));
		ScriptedProvider c = provider("c", Step.reply("c"));
		this.models.add(ModelDefinition.builder("m")
			.deployment(deployment("a", 1, null, null))
			.deployment(deployment("b", 2, null, null))
			.deployment(deployment("c", 7, null, null))
			.build());
		FallbackEngine engine = engine(Routing.WEIGHTED, (policy) -> {
		}, "m");

		for (int i = 0; i < 10_000; i++) {
			engine.chatService().chat(ChatRequest.of("hi")).block();
		}

		assertThat(a.calls() / 10_000.0).isCloseTo(0.1, within(0.02));
		assertThat(b.calls() / 10_000.0).isCloseTo(0.2, within(0.02));
		assertThat(c.calls() / 10_000.0).isCloseTo(0.7, within(0.02));
	}

	@Test
	void equalWeightsShuffle() {
		ScriptedProvider a = provider("a", Step.reply("a"));
		ScriptedProvider b = provider("b", Step.reply("b"));
		this.models.add(ModelDefinition.builder("m")
			.deployment(deployment("a", 1, null, null))
			.deployment(deployment("b", 1, null, null))
			.build());
		FallbackEngine engine = engine(Routing.WEIGHTED, (policy) -> {
		}, "m");

		for (int i = 0; i < 2_000; i++) {
			engine.chatService().chat(ChatRequest.of("hi")).block();
		}

		assertThat(a.calls() / 2_000.0).isCloseTo(0.5, within(0.05));
		assertThat(a.calls() + b.calls()).isEqualTo(2_000);
	}

	@Test
	void leastBusySpreadsConcurrentCallsEvenlyAndSendsMoreToTheFasterDeployment() {
		ScriptedProvider a = provider("a", Step.reply("a").after(Duration.ofSeconds(2)));
		ScriptedProvider b = provider("b", Step.reply("b").after(Duration.ofSeconds(2)));
		this.models.add(ModelDefinition.builder("m")
			.deployment(deployment("a", 1, null, null))
			.deployment(deployment("b", 1, null, null))
			.build());
		FallbackEngine engine = engine(Routing.LEAST_BUSY, (policy) -> {
		}, "m");

		for (int i = 0; i < 40; i++) {
			engine.chatService().chat(ChatRequest.of("hi")).subscribe();
		}
		assertThat(a.inFlight()).isEqualTo(20);
		assertThat(b.inFlight()).isEqualTo(20);
		this.time.advanceTimeBy(Duration.ofSeconds(3));
		assertThat(a.inFlight() + b.inFlight()).isZero();
	}

	@Test
	void leastBusyStaysBalancedWhenManyThreadsCallAtOnce() throws Exception {
		ScriptedProvider a = provider("a", Step.hang());
		ScriptedProvider b = provider("b", Step.hang());
		this.models.add(ModelDefinition.builder("m")
			.deployment(deployment("a", 1, null, null))
			.deployment(deployment("b", 1, null, null))
			.build());
		FallbackEngine engine = engine(Routing.LEAST_BUSY, (policy) -> {
		}, "m");
		java.util.concurrent.ExecutorService threads = java.util.concurrent.Executors.newFixedThreadPool(8);
		java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
		List<java.util.concurrent.Future<?>> callers = new ArrayList<>();
		for (int t = 0; t < 8; t++) {
			callers.add(threads.submit(() -> {
				go.await();
				for (int i = 0; i < 50; i++) {
					engine.chatService().chat(ChatRequest.of("hi")).subscribe();
				}
				return null;
			}));
		}
		go.countDown();
		for (java.util.concurrent.Future<?> caller : callers) {
			caller.get(30, java.util.concurrent.TimeUnit.SECONDS);
		}
		threads.shutdown();

		assertThat(a.inFlight() + b.inFlight()).isEqualTo(400);
		// Picks race only with the picks of the other threads in the same instant: at most one each.
		assertThat(Math.abs(a.inFlight() - b.inFlight())).isLessThanOrEqualTo(8);
	}

	@Test
	void leastBusyUnderSteadyLoadFavoursTheDeploymentThatFreesUpFirst() {
		ScriptedProvider fast = provider("fast", Step.reply("fast").after(Duration.ofMillis(100)));
		ScriptedProvider slow = provider("slow", Step.reply("slow").after(Duration.ofMillis(900)));
		this.models.add(ModelDefinition.builder("m")
			.deployment(deployment("fast", 1, null, null))
			.deployment(deployment("slow", 1, null, null))
			.build());
		FallbackEngine engine = engine(Routing.LEAST_BUSY, (policy) -> {
		}, "m");

		for (int i = 0; i < 200; i++) {
			engine.chatService().chat(ChatRequest.of("hi")).subscribe();
			this.time.advanceTimeBy(Duration.ofMillis(50));
		}
		this.time.advanceTimeBy(Duration.ofSeconds(1));

		assertThat(fast.calls() + slow.calls()).isEqualTo(200);
		assertThat(fast.calls()).isGreaterThan(4 * slow.calls());
		assertThat(Math.abs(fast.inFlight() - slow.inFlight())).isLessThanOrEqualTo(1);
	}

	@Test
	void lowestLatencyTriesEachDeploymentThenFollowsTheFastestAndAdaptsAfterASlowdown() {
		Step quick = Step.reply("a").after(Duration.ofMillis(100));
		ScriptedProvider a = provider("a", Step.reply("a").after(Duration.ofSeconds(2)), quick, quick, quick, quick,
				quick, quick, quick, quick, quick, quick);
		ScriptedProvider b = provider("b", Step.reply("b").after(Duration.ofMillis(300)));
		this.models.add(ModelDefinition.builder("m")
			.deployment(deployment("a", 1, null, null))
			.deployment(deployment("b", 1, null, null))
			.build());
		FallbackEngine engine = engine(Routing.LOWEST_LATENCY, (policy) -> {
		}, "m");

		List<String> servedBy = new ArrayList<>();
		for (int i = 0; i < 30; i++) {
			servedBy.add(chat(engine).content());
		}

		// Each is timed once, then a (100 ms) serves until one 2 s answer lifts its average over b's.
		assertThat(a.calls()).isEqualTo(11);
		assertThat(b.calls()).isEqualTo(19);
		assertThat(servedBy.subList(servedBy.size() - 15, servedBy.size())).containsOnly("b");
	}

	@Test
	void usageRoutingNeverExceedsADeploymentsRpmInAnyMinute() {
		provider("a", Step.reply("a").after(Duration.ofMillis(10)));
		provider("b", Step.reply("b").after(Duration.ofMillis(10)));
		this.models.add(ModelDefinition.builder("m")
			.deployment(deployment("a", 1, 10, null))
			.deployment(deployment("b", 1, 5, null))
			.build());
		FallbackEngine engine = engine(Routing.USAGE, (policy) -> {
		}, "m");
		Map<String, List<Long>> callTimes = this.callTimes;
		int[] capacitySkips = new int[1];
		List<ErrorCategory> refusals = new CopyOnWriteArrayList<>();

		for (int i = 0; i < 300; i++) { // one request a second for five minutes
			engine.chatService().chat(ChatRequest.of("hi")).subscribe((response) -> {
			}, (error) -> {
				capacitySkips[0]++;
				refusals.add(((dev.llmfallback.LlmException) error).category());
			});
			this.time.advanceTimeBy(Duration.ofSeconds(1));
		}

		assertThat(callTimes.keySet()).containsExactlyInAnyOrder("a/m-1", "b/m-1");
		assertThat(maxInAnyMinute(callTimes.get("a/m-1"))).isLessThanOrEqualTo(10);
		assertThat(maxInAnyMinute(callTimes.get("b/m-1"))).isLessThanOrEqualTo(5);
		assertThat(callTimes.get("a/m-1").size() + callTimes.get("b/m-1").size()).isBetween(70, 80);
		assertThat(capacitySkips[0]).isEqualTo(300 - callTimes.get("a/m-1").size() - callTimes.get("b/m-1").size());
		// Refused by our own limits, as a provider at its limit would: a rate limit, worth retrying later.
		assertThat(refusals).containsOnly(ErrorCategory.RATE_LIMIT);
	}

	private static int maxInAnyMinute(List<Long> times) {
		int max = 0;
		for (int i = 0; i < times.size(); i++) {
			int count = 0;
			for (long other : times) {
				if (other >= times.get(i) && other < times.get(i) + 60_000) {
					count++;
				}
			}
			max = Math.max(max, count);
		}
		return max;
	}

	@Test
	void aDeploymentAtItsRpmIsSkippedWithReasonCapacityAndTheChainGoesOn() {
		provider("a", Step.reply("a"));
		ScriptedProvider other = provider("other", Step.reply("other"));
		this.models.add(ModelDefinition.builder("m").deployment(deployment("a", 1, 1, null)).build());
		this.models.add(ModelDefinition.builder("other").provider("other").build());
		FallbackEngine engine = engine(Routing.WEIGHTED, (policy) -> {
		}, "m", "other");

		assertThat(chat(engine).servedBy()).isEqualTo("m");
		ChatResponse second = chat(engine);

		assertThat(second.servedBy()).isEqualTo("other");
		assertThat(second.attempts().get(0).skipReason()).isEqualTo(SkipReason.CAPACITY);
		assertThat(other.calls()).isEqualTo(1);
		this.time.advanceTimeBy(Duration.ofSeconds(60));
		assertThat(chat(engine).servedBy()).isEqualTo("m");
	}

	@Test
	void tpmCountsTheTokensProvidersReport() {
		provider("a", Step.reply("a").usage(new dev.llmfallback.Usage(60, 40, 100)));
		provider("other", Step.reply("other"));
		this.models.add(ModelDefinition.builder("m").deployment(deployment("a", 1, null, 250)).build());
		this.models.add(ModelDefinition.builder("other").provider("other").build());
		FallbackEngine engine = engine(Routing.WEIGHTED, (policy) -> {
		}, "m", "other");

		assertThat(List.of(chat(engine).servedBy(), chat(engine).servedBy(), chat(engine).servedBy(),
				chat(engine).servedBy())).containsExactly("m", "m", "m", "other");
	}

	@Test
	void aRetryGoesToAnotherHealthyDeploymentAtOnceAndCooldownsArePerDeployment() {
		ScriptedProvider east = provider("east", Step.fail(ErrorCategory.SERVER_ERROR));
		ScriptedProvider west = provider("west", Step.reply("west"));
		this.models.add(ModelDefinition.builder("m")
			.deployment(deployment("east", 1000, null, null))
			.deployment(deployment("west", 1, null, null))
			.build());
		FallbackEngine engine = engine(Routing.WEIGHTED,
				(policy) -> policy.cooldown(CooldownSpec.builder().failures(1).build()), "m");

		ChatResponse first = chat(engine);

		assertThat(first.attempts()).extracting((attempt) -> attempt.provider() + ":" + attempt.kind() + ":"
				+ attempt.outcome())
			.containsExactly("east:primary:server_error", "west:retry:success");
		assertThat(first.attempts().get(1).duration()).isLessThan(Duration.ofMillis(100));
		ModelStatus status = engine.modelStatus("m");
		assertThat(status.available()).isTrue();
		assertThat(status.deployments()).extracting(ModelStatus::deployment, ModelStatus::state)
			.containsExactly(org.assertj.core.groups.Tuple.tuple("east/m-1", ModelStatus.State.COOLING_DOWN),
					org.assertj.core.groups.Tuple.tuple("west/m-1", ModelStatus.State.AVAILABLE));

		for (int i = 0; i < 20; i++) { // east cools down: every request goes west despite its weight
			assertThat(chat(engine).attempts()).singleElement()
				.satisfies((attempt) -> assertThat(attempt.provider()).isEqualTo("west"));
		}
		assertThat(east.calls()).isEqualTo(1);
		assertThat(west.calls()).isEqualTo(21);
	}

	@Test
	void aModelIsUnavailableOnlyWhenEveryDeploymentCoolsDown() {
		provider("east", Step.fail(ErrorCategory.CONNECTION));
		provider("west", Step.fail(ErrorCategory.CONNECTION));
		ScriptedProvider backup = provider("backup", Step.reply("backup"));
		this.models.add(ModelDefinition.builder("m")
			.deployment(deployment("east", 1, null, null))
			.deployment(deployment("west", 1, null, null))
			.build());
		this.models.add(ModelDefinition.builder("backup").provider("backup").build());
		FallbackEngine engine = engine(Routing.WEIGHTED, (policy) -> {
		}, "m", "backup");

		assertThat(chat(engine).servedBy()).isEqualTo("backup");
		assertThat(engine.modelStatus("m").available()).isFalse();
		assertThat(engine.modelStatus("m").deployments()).allSatisfy(
				(deployment) -> assertThat(deployment.state()).isEqualTo(ModelStatus.State.COOLING_DOWN));

		ChatResponse next = chat(engine);
		assertThat(next.attempts().get(0).skipReason()).isEqualTo(SkipReason.COOLDOWN);
		assertThat(next.attempts().get(1).kind()).isEqualTo(AttemptKind.FALLBACK);
		assertThat(backup.calls()).isEqualTo(2);
		assertThat(engine.resetCooldown("m")).isTrue();
		assertThat(engine.modelStatus("m").available()).isTrue();
	}

	@Test
	void attemptEventsNameTheDeployment() {
		provider("east", Step.reply("east"));
		this.models.add(ModelDefinition.builder("m").deployment(deployment("east", 1, null, null)).build());
		FallbackEngine engine = engine(Routing.WEIGHTED, (policy) -> {
		}, "m");

		chat(engine);

		assertThat(this.events).filteredOn(AttemptEvent.class::isInstance)
			.singleElement()
			.satisfies((event) -> {
				AttemptEvent attempt = (AttemptEvent) event;
				assertThat(attempt.deployment()).isEqualTo("east/m-1");
				assertThat(attempt.requestModel()).isEqualTo("m-1");
				assertThat(attempt.attempt().provider()).isEqualTo("east");
			});
	}

	@Test
	void startUpNamesTheDeploymentPropertyAtFault() {
		assertThatExceptionOfType(FallbackConfigurationException.class)
			.isThrownBy(() -> DeploymentDefinition.of("models.m.deployments[1]", "east", null, "m", 0.0, null, null))
			.withMessageContaining("models.m.deployments[1].weight");
		assertThatExceptionOfType(FallbackConfigurationException.class)
			.isThrownBy(() -> DeploymentDefinition.of("models.m.deployments[0]", "east", null, "m", 1.0, 0, null))
			.withMessageContaining("models.m.deployments[0].rpm");
		provider("east", Step.reply("east"));
		this.models.add(ModelDefinition.builder("m").deployment(deployment("nowhere", 1, null, null)).build());
		assertThatExceptionOfType(FallbackConfigurationException.class)
			.isThrownBy(() -> engine(Routing.WEIGHTED, (policy) -> {
			}, "m"))
			.withMessageContaining("models.m.deployments[0].provider")
			.withMessageContaining("east");
	}

}
