package dev.llmfallback.engine;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import dev.llmfallback.ChatChunk;
import dev.llmfallback.ChatRequest;
import dev.llmfallback.ErrorCategory;
import dev.llmfallback.policy.FallbackPolicy;
import dev.llmfallback.testing.ScriptedProvider;
import dev.llmfallback.testing.Step;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * DESIGN, rules of the walk: every model of an ordered chain gets its turn with the default
 * settings. Retries of one model stop early when the calls left equal the models not yet tried, so
 * {@code max-attempts} (6, or the reachable models if more) never cuts the chain short. Each case
 * runs through the three ways in: {@code chat}, the blocking {@code call}, and {@code stream}.
 */
class OrderedChainTests {

	private final Fixture fixture = new Fixture();

	private volatile Thread callerThread;

	private final ExecutorService blockingCaller = Executors.newSingleThreadExecutor((task) -> {
		Thread thread = new Thread(task, "blocking-caller");
		this.callerThread = thread;
		return thread;
	});

	@AfterEach
	void stopCaller() {
		this.blockingCaller.shutdownNow();
	}

	enum EntryPoint {

		CHAT, CALL, STREAM

	}

	@ParameterizedTest
	@EnumSource(EntryPoint.class)
	void aThreeModelChainReachesItsLastModelWithTheDefaults(EntryPoint entry) {
		this.fixture.failing("a", Step.fail(ErrorCategory.SERVICE_UNAVAILABLE).status(503));
		this.fixture.failing("b", Step.fail(ErrorCategory.SERVICE_UNAVAILABLE).status(529));
		ScriptedProvider c = this.fixture.healthy("c");
		FallbackEngine engine = this.fixture.policy(FallbackPolicy.builder("chat").models("a", "b", "c").build())
			.engine();

		String answer = run(engine, entry);

		assertThat(answer).isEqualTo("from c");
		assertThat(c.calls()).isEqualTo(1);
		// a gets its two retries; b's second retry is spared so that c still has a call left.
		assertThat(this.fixture.attemptOutcomes()).containsExactly("a:primary:service_unavailable",
				"a:retry:service_unavailable", "a:retry:service_unavailable", "b:fallback:service_unavailable",
				"b:retry:service_unavailable", "c:fallback:success");
	}

	@ParameterizedTest
	@EnumSource(EntryPoint.class)
	void aFourModelChainReachesItsLastModelWithTheDefaults(EntryPoint entry) {
		this.fixture.failing("a", Step.fail(ErrorCategory.SERVICE_UNAVAILABLE).status(503));
		this.fixture.failing("b", Step.fail(ErrorCategory.SERVICE_UNAVAILABLE).status(529));
		this.fixture.failing("c", Step.fail(ErrorCategory.SERVICE_UNAVAILABLE).status(503));
		ScriptedProvider d = this.fixture.healthy("d");
		FallbackEngine engine = this.fixture
			.policy(FallbackPolicy.builder("chat").models("a", "b", "c", "d").build())
			.engine();

		String answer = run(engine, entry);

		assertThat(answer).isEqualTo("from d");
		assertThat(d.calls()).isEqualTo(1);
		// Six calls for four models: a gets its two retries, every retry of b and c is spared.
		assertThat(this.fixture.attemptOutcomes()).containsExactly("a:primary:service_unavailable",
				"a:retry:service_unavailable", "a:retry:service_unavailable", "b:fallback:service_unavailable", "c:fallback:service_unavailable",
				"d:fallback:success");
	}

	@Test
	void retriesAreNotSparedForModelsThatAreCoolingDown() {
		this.fixture.failing("a", Step.fail(ErrorCategory.SERVICE_UNAVAILABLE).status(503));
		this.fixture.failing("b", Step.fail(ErrorCategory.AUTHENTICATION).status(401));
		ScriptedProvider c = this.fixture.healthy("c");
		FallbackEngine engine = this.fixture
			.policy(FallbackPolicy.builder("chat").models("a", "b", "c").maxAttempts(3).build())
			.engine();
		this.fixture.run(engine.chatService().chat(ChatRequest.of("hi"))).get();
		assertThat(this.fixture.attemptOutcomes()).as("three calls for three models: a's retries spared")
			.containsExactly("a:primary:service_unavailable", "b:fallback:authentication", "c:fallback:success");
		this.fixture.events.clear();

		// b's authentication failure cooled it: it will be skipped, so a may use its call.
		this.fixture.run(engine.chatService().chat(ChatRequest.of("hi"))).get();

		assertThat(this.fixture.attemptOutcomes()).containsExactly("a:primary:service_unavailable",
				"a:retry:service_unavailable", "b:fallback:skipped", "c:fallback:success");
		assertThat(c.calls()).isEqualTo(2);
	}

	@Test
	void anExplicitMaxAttemptsBelowTheReachableModelsWarnsOnceAtStartUp() {
		this.fixture.healthy("a");
		this.fixture.healthy("b");
		this.fixture.healthy("c");
		this.fixture.healthy("d");
		this.fixture.policy(FallbackPolicy.builder("chat").models("a", "b", "c").contentPolicyFallbacks("d")
			.maxAttempts(2)
			.build());
		this.fixture.policy(FallbackPolicy.builder("roomy").models("a", "b", "c").build());

		try (LogCapture log = LogCapture.of(FallbackEngine.class)) {
			this.fixture.engine();

			assertThat(log.lines()).hasSize(1);
			assertThat(log.lines().get(0)).startsWith("WARNING")
				.contains("Policy 'chat' sets max-attempts to 2 but can reach 4 models, so it can never reach: c, d")
				.contains("llm.fallback.policies.chat.max-attempts");
		}
	}

	private String run(FallbackEngine engine, EntryPoint entry) {
		return switch (entry) {
			case CHAT -> {
				var response = this.fixture.run(engine.chatService().chat(ChatRequest.of("hi"))).get();
				assertThat(response.attempts()).extracting((attempt) -> attempt.model() + ":" + attempt.kind() + ":"
						+ attempt.outcome()).containsExactlyElementsOf(this.fixture.attemptOutcomes());
				yield response.content();
			}
			case STREAM -> {
				List<ChatChunk> chunks = this.fixture.run(engine.chatService().stream(ChatRequest.of("hi")).collectList())
					.get();
				ChatChunk last = chunks.get(chunks.size() - 1);
				assertThat(last.attempts()).extracting((attempt) -> attempt.model() + ":" + attempt.kind() + ":"
						+ attempt.outcome()).containsExactlyElementsOf(this.fixture.attemptOutcomes());
				yield String.join("", Stream.of(chunks.toArray(ChatChunk[]::new)).map(ChatChunk::delta).toList());
			}
			case CALL -> {
				// The blocking call runs on its own thread while this one moves virtual time on, only while
				// that thread waits (on a backoff timer: the scripted providers answer at once). Moving it
				// on while the caller thread was descheduled timed its first attempt out on a loaded machine.
				CompletableFuture<String> answer = CompletableFuture
					.supplyAsync(() -> engine.chatService().call("hi"), this.blockingCaller);
				long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
				for (int i = 0; i < 10_000_000 && !answer.isDone() && System.nanoTime() < deadline;) {
					Thread caller = this.callerThread;
					if (caller != null && caller.getState() == Thread.State.WAITING) {
						this.fixture.advance(java.time.Duration.ofMillis(1));
						i++;
					}
					else {
						Thread.onSpinWait();
					}
				}
				yield answer.join();
			}
		};
	}

}
