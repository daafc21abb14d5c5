package dev.llmfallback.engine;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import dev.llmfallback.Attempt;
import dev.llmfallback.ChatRequest;
import dev.llmfallback.ChatResponse;
import dev.llmfallback.ErrorCategory;
import dev.llmfallback.LlmException;
import dev.llmfallback.engine.ModelStatus.State;
import dev.llmfallback.event.CooldownStartedEvent;
import dev.llmfallback.policy.CooldownSpec;
import dev.llmfallback.policy.FallbackPolicy;
import dev.llmfallback.policy.ModelDefinition;
import dev.llmfallback.policy.RetrySpec;
import dev.llmfallback.provider.ChatProvider;
import dev.llmfallback.provider.ProviderChunk;
import dev.llmfallback.provider.ProviderRequest;
import dev.llmfallback.provider.ProviderResponse;
import dev.llmfallback.testing.ScriptedProvider;
import dev.llmfallback.testing.Step;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Many requests on one engine from several threads at once: cooldown state stays consistent (one
 * cooldown per threshold crossing, one trial per half-open window) and no request ever makes more
 * calls than max-attempts.
 */
class ConcurrencyTests {

	private static final int THREADS = 8;

	private final ExecutorService pool = Executors.newFixedThreadPool(THREADS);

	@AfterEach
	void shutDown() {
		this.pool.shutdownNow();
	}

	/** Runs the task on every thread at once, {@code perThread} times each, released together. */
	private <T> List<T> concurrently(int perThread, Callable<T> task) throws Exception {
		CountDownLatch start = new CountDownLatch(1);
		ConcurrentLinkedQueue<T> results = new ConcurrentLinkedQueue<>();
		List<Future<?>> futures = new java.util.ArrayList<>();
		for (int t = 0; t < THREADS; t++) {
			futures.add(this.pool.submit(() -> {
				start.await();
				for (int i = 0; i < perThread; i++) {
					results.add(task.call());
				}
				return null;
			}));
		}
		start.countDown();
		for (Future<?> future : futures) {
			future.get(60, TimeUnit.SECONDS);
		}
		return List.copyOf(results);
	}

	@Test
	void concurrentFailuresStartExactlyOneCooldown() throws Exception {
		Fixture fixture = new Fixture();
		ScriptedProvider primary = fixture.failing("primary", Step.fail(ErrorCategory.SERVER_ERROR));
		fixture.healthy("secondary");
		FallbackEngine engine = fixture
			.chain((policy) -> policy.retry(RetrySpec.builder().maxRetries(0).build())
				.cooldown(CooldownSpec.builder().failures(5).build()), "primary", "secondary")
			.engine();

		List<ChatResponse> responses = concurrently(100,
				() -> engine.chatService().chat(ChatRequest.of("hi")).block(Duration.ofSeconds(5)));

		assertThat(responses).hasSize(THREADS * 100).allSatisfy((response) -> assertThat(response.servedBy())
			.isEqualTo("secondary"));
		assertThat(fixture.events(CooldownStartedEvent.class)).hasSize(1);
		assertThat(engine.modelStatus("primary").state()).isEqualTo(State.COOLING_DOWN);
		// At least the threshold reached the model; calls admitted while it opened may add a few.
		assertThat(primary.calls()).isBetween(5, 5 + THREADS);
	}

	@Test
	void underContentionExactlyOneTrialIsLetThrough() throws Exception {
		Fixture fixture = new Fixture();
		ScriptedProvider primary = fixture.healthy("primary", Step.fail(ErrorCategory.CONNECTION), Step.hang());
		fixture.healthy("secondary");
		FallbackEngine engine = fixture.chain("primary", "secondary").engine();
		fixture.run(engine.chatService().chat(ChatRequest.of("open it")));
		fixture.advance(Duration.ofSeconds(30));

		ConcurrentLinkedQueue<Disposable> inFlight = new ConcurrentLinkedQueue<>();
		AtomicInteger servedBySecondary = new AtomicInteger();
		concurrently(50, () -> {
			inFlight.add(engine.chatService().chat(ChatRequest.of("hi")).subscribe((response) -> {
				if (response.servedBy().equals("secondary")) {
					servedBySecondary.incrementAndGet();
				}
			}));
			return true;
		});

		assertThat(primary.calls()).as("the opening failure and one trial").isEqualTo(2);
		assertThat(servedBySecondary.get()).isEqualTo(THREADS * 50 - 1);
		assertThat(engine.modelStatus("primary").state()).isEqualTo(State.HALF_OPEN);
		inFlight.forEach(Disposable::dispose);
	}

	@Test
	void maxAttemptsIsNeverExceededUnderRandomFailures() throws Exception {
		List<RandomProvider> providers = List.of(new RandomProvider("a"), new RandomProvider("b"),
				new RandomProvider("c"));
		FallbackEngine engine = FallbackEngine.builder()
			.providers(providers)
			.model(ModelDefinition.builder("a").provider("a").build())
			.model(ModelDefinition.builder("b").provider("b").build())
			.model(ModelDefinition.builder("c").provider("c").build())
			.policy(FallbackPolicy.builder("chat")
				.models("a", "b", "c")
				.maxAttempts(4)
				.retry(RetrySpec.builder().maxRetries(3).initialBackoff(Duration.ZERO).maxBackoff(Duration.ZERO).build())
				.cooldown(CooldownSpec.builder().failures(1000).build())
				.build())
			.build();

		List<List<Attempt>> walks = concurrently(250, () -> {
			try {
				return engine.chatService().chat(ChatRequest.of("hi")).block(Duration.ofSeconds(5)).attempts();
			}
			catch (LlmException ex) {
				return ex.attempts();
			}
		});

		int recordedCalls = 0;
		for (List<Attempt> attempts : walks) {
			long calls = attempts.stream().filter((attempt) -> !attempt.skipped()).count();
			assertThat(calls).isBetween(1L, 4L);
			recordedCalls += (int) calls;
		}
		int providerCalls = providers.stream().mapToInt((provider) -> provider.calls.get()).sum();
		assertThat(providerCalls).as("every call the providers saw is in some request's attempts")
			.isEqualTo(recordedCalls);
	}

	/** Answers on a parallel thread, failing at random with a category that retries or hops. */
	private static final class RandomProvider implements ChatProvider {

		private static final ErrorCategory[] FAILURES = { ErrorCategory.RATE_LIMIT, ErrorCategory.SERVER_ERROR,
				ErrorCategory.SERVICE_UNAVAILABLE, ErrorCategory.TIMEOUT, ErrorCategory.INVALID_RESPONSE,
				ErrorCategory.NOT_FOUND };

		private final String name;

		final AtomicInteger calls = new AtomicInteger();

		RandomProvider(String name) {
			this.name = name;
		}

		@Override
		public String name() {
			return this.name;
		}

		@Override
		public Mono<ProviderResponse> chat(ProviderRequest request) {
			return Mono.fromCallable(() -> {
				this.calls.incrementAndGet();
				ThreadLocalRandom random = ThreadLocalRandom.current();
				if (random.nextInt(10) < 3) {
					return ProviderResponse.of("ok");
				}
				throw LlmException.builder(FAILURES[random.nextInt(FAILURES.length)]).build();
			}).subscribeOn(Schedulers.parallel());
		}

		@Override
		public Flux<ProviderChunk> stream(ProviderRequest request) {
			return chat(request).map((response) -> ProviderChunk.text(response.content())).flux();
		}

	}

}
