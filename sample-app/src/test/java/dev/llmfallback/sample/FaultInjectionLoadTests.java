package dev.llmfallback.sample;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.llmfallback.ErrorCategory;
import dev.llmfallback.sample.simulator.ProviderSimulator;
import dev.llmfallback.sample.simulator.SimulatedBehaviour;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fault-injection load: many concurrent clients call the gateway, plain and streamed, for a bounded
 * time while every upstream fails at random (5xx, 429 with and without Retry-After, refused
 * connections, resets, stalls, truncated streams, error events mid-stream). Every request must end
 * with a success or a classified error, none may hang past its deadline, no stream may be cut
 * silently, no caller may reach the upstreams more than max-attempts times, cooldowns must start and
 * end, and stalled connections and heap must return to their baseline.
 *
 * <p>Runs only with {@code -Dload.duration=20s} (and optionally {@code -Dload.clients=32}), as
 * {@code .ci/run} does for a short run and {@code sample-app/load-test.sh} for a long one.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = {
		"llm.fallback.providers.dead.type=openai", "llm.fallback.providers.dead.base-url=http://127.0.0.1:1/v1",
		"llm.fallback.providers.dead.api-key=none", "llm.fallback.models.dead-model.provider=dead",
		"llm.fallback.models.dead-model.model=gpt-dead",
		"llm.fallback.policies.chat.models=dead-model,gpt-4o-mini,claude-haiku,gpt-4o",
		"llm.fallback.policies.chat.max-attempts=" + FaultInjectionLoadTests.MAX_ATTEMPTS,
		"llm.fallback.policies.chat.timeout=1s", "llm.fallback.policies.chat.deadline=4s",
		"llm.fallback.policies.chat.first-token-timeout=1s", "llm.fallback.policies.chat.idle-timeout=1s",
		"llm.fallback.policies.chat.retry.max-retries=1", "llm.fallback.policies.chat.retry.initial-backoff=50ms",
		"llm.fallback.policies.chat.retry.max-retry-after=500ms", "llm.fallback.policies.chat.cooldown.failures=3",
		"llm.fallback.policies.chat.cooldown.window=10s", "llm.fallback.policies.chat.cooldown.duration=1s",
		"llm.fallback.policies.chat.cooldown.max-duration=3s",
		"sample.simulator.providers.flaky.rate-limited=0.2", "sample.simulator.providers.flaky.retry-after-chance=0.5",
		"sample.simulator.providers.flaky.overloaded=0.15", "sample.simulator.providers.flaky.stalled=0.05",
		"sample.simulator.providers.flaky.reset=0.05", "sample.simulator.providers.flaky.slow=0.05",
		"sample.simulator.providers.flaky.slow-delay=2s", "sample.simulator.providers.flaky.truncated=0.1",
		"sample.simulator.providers.flaky.mid-stream-error=0.1", "sample.simulator.providers.flaky.context-window=200000",
		"sample.simulator.providers.steady.rate-limited=0.05", "sample.simulator.providers.steady.overloaded=0.1",
		"sample.simulator.providers.steady.stalled=0.03", "sample.simulator.providers.steady.reset=0.03",
		"sample.simulator.providers.steady.truncated=0.05", "sample.simulator.providers.steady.mid-stream-error=0.05",
		"sample.simulator.providers.backup.overloaded=0.05", "sample.simulator.providers.backup.reset=0.02",
		"logging.level.reactor.netty=error", "logging.level.org.springframework.web=error" })
@EnabledIfSystemProperty(named = "load.duration", matches = ".+")
class FaultInjectionLoadTests {

	static final int MAX_ATTEMPTS = 4;

	private static final JsonMapper json = JsonMapper.builder().build();

	@LocalServerPort
	int port;

	@Autowired
	ProviderSimulator simulator;

	private final Map<String, AtomicInteger> outcomes = new ConcurrentHashMap<>();

	private final AtomicInteger hangs = new AtomicInteger();

	private final AtomicInteger silentCuts = new AtomicInteger();

	private final AtomicInteger unclassified = new AtomicInteger();

	private final AtomicLong ids = new AtomicLong();

	/** The longest plain call and the longest stream, in milliseconds. */
	private final AtomicLong longestCall = new AtomicLong();

	private final AtomicLong longestStream = new AtomicLong();

	private WebClient client;

	@Test
	void underRandomFaultsEveryRequestEndsClassifiedAndNothingLeaks() throws Exception {
		Duration duration = DurationStyle.detectAndParse(System.getProperty("load.duration"));
		int clients = Integer.getInteger("load.clients", 32);
		this.client = WebClient.builder()
			.baseUrl("http://127.0.0.1:" + this.port)
			.clientConnector(new org.springframework.http.client.reactive.ReactorClientHttpConnector(
					HttpClient.create(ConnectionProvider.builder("load").maxConnections(clients * 2).build())))
			.build();
		long heapBefore = usedHeapAfterGc();

		long end = System.nanoTime() + duration.toNanos();
		long started = System.nanoTime();
		Flux.range(0, clients)
			.flatMap((worker) -> Mono.defer(this::oneRequest).repeat(() -> System.nanoTime() < end), clients)
			.blockLast(duration.plusMinutes(2));
		double seconds = (System.nanoTime() - started) / 1e9;

		int requests = this.outcomes.values().stream().mapToInt(AtomicInteger::get).sum();
		double cooldowns = meter("llm.fallback.cooldowns");
		// Let the providers heal: every cooldown must end within its bound (the model is callable again),
		// and the first model, which gets the traffic, must close again through a successful trial. Later
		// models stay half-open until a request reaches them: the trial is lazy.
		for (String name : List.of("flaky", "steady", "backup")) {
			this.simulator.behave(name, SimulatedBehaviour.healthy());
		}
		long recoveryStart = System.nanoTime();
		boolean recovered = false;
		while (!recovered && System.nanoTime() - recoveryStart < Duration.ofSeconds(30).toNanos()) {
			oneRequest().block(Duration.ofSeconds(20));
			recovered = List.of("gpt-4o-mini", "claude-haiku", "gpt-4o").stream().allMatch(this::callable)
					&& "AVAILABLE".equals(state("gpt-4o-mini"));
		}
		double recoverySeconds = (System.nanoTime() - recoveryStart) / 1e9;
		long stalledWaitStart = System.nanoTime();
		while (this.simulator.stalledCalls() > 0 && System.nanoTime() - stalledWaitStart < Duration.ofSeconds(10).toNanos()) {
			Mono.delay(Duration.ofMillis(100)).block();
		}
		long heapAfter = usedHeapAfterGc();

		System.out.printf("%nfault-injection load: %d requests in %.1f s (%.0f/s) from %d clients%n", requests, seconds,
				requests / seconds, clients);
		System.out.println("  outcomes: " + new TreeMap<>(this.outcomes));
		System.out.printf("  hangs=%d silent-cuts=%d unclassified=%d max-upstream-calls-per-request=%d (max-attempts %d)%n",
				this.hangs.get(), this.silentCuts.get(), this.unclassified.get(), this.simulator.maxCallsPerUser(),
				MAX_ATTEMPTS);
		System.out.printf("  longest plain call=%d ms, longest stream=%d ms (deadline 4 s, idle-timeout 1 s)%n",
				this.longestCall.get(), this.longestStream.get());
		System.out.printf("  cooldowns started=%.0f, every cooldown over and the primary closed again after %.1f s: %s%n", cooldowns,
				recoverySeconds, recovered);
		System.out.printf("  stalled upstream calls left=%d, open upstream connections=%d, heap %d MB -> %d MB%n",
				this.simulator.stalledCalls(), this.simulator.openConnections(), heapBefore >> 20, heapAfter >> 20);

		assertThat(requests).isPositive();
		assertThat(this.hangs).hasValue(0);
		assertThat(this.silentCuts).hasValue(0);
		// The deadline bounds a call; a stream until its first chunk, then the idle timeout between chunks.
		assertThat(this.longestCall.get()).as("longest plain call (ms)").isLessThanOrEqualTo(5_000);
		assertThat(this.longestStream.get()).as("longest stream (ms)").isLessThanOrEqualTo(7_000);
		assertThat(this.unclassified).hasValue(0);
		assertThat(this.simulator.maxCallsPerUser()).isBetween(1, MAX_ATTEMPTS);
		assertThat(cooldowns).isPositive();
		assertThat(recovered).as("every cooldown ended once the providers healed").isTrue();
		assertThat(this.simulator.stalledCalls()).as("stalled calls were all closed").isZero();
		// Idle pooled connections stay open until evicted (30 s), at most one per provider and client;
		// a leak would grow with the number of requests instead.
		assertThat(this.simulator.openConnections()).as("open upstream connections").isLessThanOrEqualTo(3 * clients);
		assertThat(heapAfter - heapBefore).as("heap growth after the run").isLessThan(64L << 20);
	}

	/** One request of a random kind; never fails: its outcome is counted. */
	private Mono<Void> oneRequest() {
		String user = "load-" + this.ids.incrementAndGet();
		int kind = (int) (this.ids.get() % 3);
		Mono<String> outcome = switch (kind) {
			case 0 -> completion(user);
			case 1 -> streamedCompletion(user);
			default -> chatStream();
		};
		long start = System.nanoTime();
		AtomicLong longest = (kind == 0) ? this.longestCall : this.longestStream;
		return outcome.doOnNext((name) -> longest.accumulateAndGet((System.nanoTime() - start) / 1_000_000, Math::max))
			.timeout(Duration.ofSeconds(15))
			.onErrorResume((error) -> {
			if (error instanceof TimeoutException) {
				this.hangs.incrementAndGet();
				return Mono.just("hang");
			}
			this.unclassified.incrementAndGet();
			return Mono.just("client-error:" + error.getClass().getSimpleName());
		}).doOnNext((name) -> this.outcomes.computeIfAbsent(name, (key) -> new AtomicInteger()).incrementAndGet()).then();
	}

	private Map<String, Object> body(String user, boolean stream) {
		return Map.of("model", "chat", "user", user, "stream", stream, "messages",
				List.of(Map.of("role", "user", "content", "load test " + user)));
	}

	private Mono<String> completion(String user) {
		return this.client.post()
			.uri("/v1/chat/completions")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(body(user, false))
			.exchangeToMono((response) -> response.bodyToMono(String.class).defaultIfEmpty("").map((text) -> {
				JsonNode answer = json.readTree(text.isEmpty() ? "{}" : text);
				if (response.statusCode().is2xxSuccessful() && answer.has("choices")) {
					return "success";
				}
				return classified(answer.path("error").path("category").asString(""));
			}));
	}

	private Mono<String> streamedCompletion(String user) {
		return this.client.post()
			.uri("/v1/chat/completions")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(body(user, true))
			.exchangeToMono((response) -> response.bodyToMono(String.class).defaultIfEmpty("").map((text) -> {
				if (!response.statusCode().is2xxSuccessful()) {
					return classified(json.readTree(text.isEmpty() ? "{}" : text).path("error").path("category").asString(""));
				}
				String[] events = text.trim().split("\n\n");
				String last = events[events.length - 1].trim();
				if (last.equals("data: [DONE]")) {
					return "success";
				}
				if (last.startsWith("data: ") && last.contains("\"error\"")) {
					return classified(json.readTree(last.substring(6)).path("error").path("category").asString("")) + " (mid-stream)";
				}
				this.silentCuts.incrementAndGet();
				return "silent-cut";
			}));
	}

	private Mono<String> chatStream() {
		return this.client.post()
			.uri("/chat/stream")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("prompt", "load test stream"))
			.exchangeToMono((response) -> response.bodyToMono(String.class).defaultIfEmpty("").map((text) -> {
				if (!response.statusCode().is2xxSuccessful()) {
					// Failed before its first event: a problem detail with the mapped status.
					return classified(json.readTree(text.isEmpty() ? "{}" : text).path("category").asString(""));
				}
				String[] events = text.trim().split("\n\n");
				String last = events[events.length - 1];
				if (last.contains("event:done")) {
					return "success";
				}
				if (last.contains("event:error")) {
					String data = last.substring(last.indexOf("data:") + 5);
					return classified(json.readTree(data).path("category").asString("")) + " (event)";
				}
				this.silentCuts.incrementAndGet();
				return "silent-cut";
			}));
	}

	private String classified(String category) {
		try {
			return ErrorCategory.fromId(category).id();
		}
		catch (IllegalArgumentException ex) {
			this.unclassified.incrementAndGet();
			return "unclassified:" + category;
		}
	}

	private JsonNode health(String model) {
		return json.readTree(this.client.get()
			.uri("/actuator/health/llm/" + model)
			.retrieve()
			.bodyToMono(String.class)
			.block(Duration.ofSeconds(5)));
	}

	/** The cooldown is over: a request arriving now would call the model (as a trial if half-open). */
	private boolean callable(String model) {
		return health(model).path("details").path("available").asBoolean(false);
	}

	private String state(String model) {
		return health(model).path("details").path("state").asString("");
	}

	private double meter(String name) {
		JsonNode meter = json.readTree(this.client.get().uri("/actuator/metrics/" + name).retrieve().bodyToMono(String.class).block());
		return meter.path("measurements").path(0).path("value").asDouble(0);
	}

	private static long usedHeapAfterGc() {
		for (int i = 0; i < 3; i++) {
			System.gc();
		}
		return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
	}

}
