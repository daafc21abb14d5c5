package dev.llmfallback.provider.fuzz;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import dev.llmfallback.ChatChunk;
import dev.llmfallback.ChatRequest;
import dev.llmfallback.ChatResponse;
import dev.llmfallback.ErrorCategory;
import dev.llmfallback.LlmException;
import dev.llmfallback.engine.FallbackEngine;
import dev.llmfallback.policy.CooldownSpec;
import dev.llmfallback.policy.FallbackPolicy;
import dev.llmfallback.policy.ModelDefinition;
import dev.llmfallback.policy.RetrySpec;
import dev.llmfallback.provider.ChatProvider;
import dev.llmfallback.provider.ChatProviders;
import dev.llmfallback.provider.ClassificationRules;
import dev.llmfallback.provider.ProviderChunk;
import dev.llmfallback.provider.ProviderRequest;
import dev.llmfallback.provider.ProviderResponse;
import dev.llmfallback.provider.StubServer;
import net.jqwik.api.lifecycle.AroundPropertyHook;
import net.jqwik.api.lifecycle.PropagationMode;
import net.jqwik.api.lifecycle.PropertyExecutionResult;
import net.jqwik.api.lifecycle.PropertyExecutor;
import net.jqwik.api.lifecycle.PropertyLifecycleContext;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * What the fuzz properties share: one loopback {@link StubServer} and one real adapter per wire
 * format, a {@link FallbackEngine} over them with short stream timeouts, a runner that gives every
 * call a hard upper bound, and per-property figures.
 *
 * <p>Tries: each property's {@code @Property(tries = ...)} is the short default that runs in every
 * build. {@code -Dfuzz.tries=N} runs the long form: N tries for each content property, N times the
 * property's {@link Weight} for the slow ones (deep nesting, oversized bodies, silence and endless
 * streams), e.g. (the default-test execution only, not the BlockHound one):
 * {@code mvn -B -o test-compile surefire:test@default-test -pl fallback-core -Dtest='*FuzzTests' -Dfuzz.tries=10000}.
 * See docs/RELIABILITY.md.
 */
final class Fuzz {

	/** The most bytes an adapter buffers for one answer or one stream line in these tests. */
	static final int MAX_RESPONSE_BYTES = 64 * 1024;

	/** No single call may take longer than this; a call that does is a hang. */
	static final Duration CALL_BOUND = Duration.ofSeconds(10);

	static final Duration FIRST_TOKEN_TIMEOUT = Duration.ofMillis(250);

	static final Duration IDLE_TIMEOUT = Duration.ofMillis(250);

	static final Duration ATTEMPT_TIMEOUT = Duration.ofMillis(500);

	private static final String PATIENT = "-patient";

	private static final Map<WireFormat, StubServer> SERVERS = new EnumMap<>(WireFormat.class);

	private static final Map<WireFormat, ChatProvider> PROVIDERS = new EnumMap<>(WireFormat.class);

	private static final FallbackEngine ENGINE;

	static {
		FallbackEngine.Builder engine = FallbackEngine.builder();
		for (WireFormat format : WireFormat.values()) {
			StubServer server = StubServer.start();
			ChatProvider provider = ChatProviders.create(format.settings(server.url(), MAX_RESPONSE_BYTES).build(), null,
					ClassificationRules.none());
			SERVERS.put(format, server);
			PROVIDERS.put(format, provider);
			engine.provider(provider)
				.model(ModelDefinition.builder(format.type).provider(provider.name()).model("fuzz-model").build())
				.policy(FallbackPolicy.builder(format.type)
					.models(format.type)
					.retry(RetrySpec.builder().maxRetries(0).build())
					.cooldown(CooldownSpec.builder().failures(Integer.MAX_VALUE).build())
					.timeout(ATTEMPT_TIMEOUT)
					.firstTokenTimeout(FIRST_TOKEN_TIMEOUT)
					.idleTimeout(IDLE_TIMEOUT)
					.deadline(Duration.ofSeconds(5))
					.build())
				// For streams the caller bounds: a first token may take a while on a loaded machine.
				.policy(FallbackPolicy.builder(format.type + PATIENT)
					.models(format.type)
					.retry(RetrySpec.builder().maxRetries(0).build())
					.cooldown(CooldownSpec.builder().failures(Integer.MAX_VALUE).build())
					.timeout(Duration.ofSeconds(5))
					.firstTokenTimeout(Duration.ofSeconds(5))
					.idleTimeout(Duration.ofSeconds(5))
					.deadline(Duration.ofSeconds(8))
					.build());
		}
		ENGINE = engine.defaultPolicy(WireFormat.OPENAI.type).build();
		Runtime.getRuntime().addShutdownHook(new Thread(() -> {
			PROVIDERS.values().forEach((provider) -> {
				if (provider instanceof AutoCloseable closeable) {
					try {
						closeable.close();
					}
					catch (Exception ex) {
						// shutting down
					}
				}
			});
			SERVERS.values().forEach(StubServer::close);
		}));
	}

	private Fuzz() {
	}

	static StubServer server(WireFormat format) {
		return SERVERS.get(format);
	}

	static ChatProvider provider(WireFormat format) {
		return PROVIDERS.get(format);
	}

	static FallbackEngine engine() {
		return ENGINE;
	}

	static ProviderRequest request() {
		return new ProviderRequest("fuzz-model", ChatRequest.of("hi"));
	}

	/** Serves the reply to one plain call of the adapter. */
	static Outcome chat(WireFormat format, StubServer.Reply reply) {
		server(format).clear();
		server(format).enqueue(reply);
		return Outcome.of(provider(format).chat(request()).map(ProviderResponse::content).flux());
	}

	/** Serves the reply to one streamed call of the adapter. */
	static Outcome stream(WireFormat format, StubServer.Reply reply) {
		server(format).clear();
		server(format).enqueue(reply);
		return Outcome.of(provider(format).stream(request()).map(ProviderChunk::delta));
	}

	/** Serves the reply to one streamed call through the engine, with first-token and idle timeouts of 5 s. */
	static Flux<ChatChunk> patientEngineStream(WireFormat format) {
		return engine().chatService(format.type + PATIENT).stream(ChatRequest.of("hi"));
	}

	/** Serves the reply to one plain call through the engine. */
	static Mono<ChatResponse> engineChat(WireFormat format) {
		return engine().chatService(format.type).chat(ChatRequest.of("hi"));
	}

	/** Serves the reply to one streamed call through the engine. */
	static Flux<ChatChunk> engineStream(WireFormat format) {
		return engine().chatService(format.type).stream(ChatRequest.of("hi"));
	}

	/** How one call ended. */
	record Outcome(String text, Throwable error, boolean hung, long millis) {

		/** Runs the call to its end, or gives up (cancelling it) after {@link #CALL_BOUND}. */
		static Outcome of(Flux<String> call) {
			return start(call).get();
		}

		/** Starts the call; {@link Pending#get()} waits for its outcome. */
		static Pending start(Flux<String> call) {
			return new Pending(System.nanoTime(), call.collectList().toFuture());
		}

		/** A call under way. */
		record Pending(long start, CompletableFuture<List<String>> result) {

		Outcome get() {
			long start = this.start;
			CompletableFuture<List<String>> result = this.result;
			long left = CALL_BOUND.toNanos() - (System.nanoTime() - start);
			try {
				List<String> pieces = result.get(Math.max(0, left), TimeUnit.NANOSECONDS);
				return new Outcome(String.join("", pieces), null, false, elapsed(start));
			}
			catch (ExecutionException ex) {
				return new Outcome(null, ex.getCause(), false, elapsed(start));
			}
			catch (TimeoutException ex) {
				result.cancel(true);
				return new Outcome(null, null, true, elapsed(start));
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new AssertionError(ex);
			}
		}

		}

		static Outcome of(Mono<?> call) {
			return of(call.map(String::valueOf).flux());
		}

		private static long elapsed(long start) {
			return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
		}

		boolean succeeded() {
			return !this.hung && this.error == null;
		}

		/** @return the category, or {@code null} for a success, a hang or an escaped exception */
		ErrorCategory category() {
			return (this.error instanceof LlmException llm) ? llm.category() : null;
		}

		/** @return {@code success}, the category, {@code hang} or {@code escaped:Type} */
		String label() {
			if (this.hung) {
				return "hang";
			}
			if (this.error == null) {
				return "success";
			}
			return (this.error instanceof LlmException llm) ? llm.category().id()
					: "escaped:" + this.error.getClass().getSimpleName();
		}

		/**
		 * Records this outcome in the property's figures and asserts it ended, as a success or an
		 * {@link LlmException}, never as anything else.
		 * @return this outcome
		 */
		Outcome checked(String what) {
			Stats.record(this);
			if (this.hung) {
				throw new AssertionError(what + ": did not end within " + CALL_BOUND);
			}
			if (this.error != null && !(this.error instanceof LlmException)) {
				throw new AssertionError(what + ": escaped as " + this.error, this.error);
			}
			return this;
		}

		/** Asserts a classified failure of one of the categories. */
		Outcome expectFailure(String what, ErrorCategory... categories) {
			checked(what);
			if (this.error == null || !List.of(categories).contains(category())) {
				throw new AssertionError(what + ": expected " + List.of(categories) + " but got " + label()
						+ ((this.error != null) ? " (" + this.error.getMessage() + ")" : " with text '" + this.text + "'"),
						this.error);
			}
			return this;
		}

		/** Asserts a success or a classified failure of one of the categories. */
		Outcome expectSuccessOr(String what, ErrorCategory... categories) {
			checked(what);
			if (this.error != null && !List.of(categories).contains(category())) {
				throw new AssertionError(what + ": expected success or " + List.of(categories) + " but got " + label()
						+ " (" + this.error.getMessage() + ")", this.error);
			}
			return this;
		}

	}

	/** Relative share of {@code -Dfuzz.tries} a slow property gets in the long form. */
	@Retention(RetentionPolicy.RUNTIME)
	@Target(ElementType.METHOD)
	@interface Weight {

		double value();

	}

	/** The figures of the property running now, printed as one line when it ends. */
	static final class Stats {

		private static volatile Stats current = new Stats();

		private final Map<String, AtomicLong> outcomes = new TreeMap<>();

		private final Map<String, AtomicLong> maxima = new TreeMap<>();

		private long calls;

		static synchronized void record(Outcome outcome) {
			current.calls++;
			current.outcomes.computeIfAbsent(outcome.label(), (key) -> new AtomicLong()).incrementAndGet();
		}

		/** Keeps the largest value seen of a named figure (e.g. bytes written before the client closed). */
		static synchronized void max(String name, long value) {
			current.maxima.computeIfAbsent(name, (key) -> new AtomicLong()).accumulateAndGet(value, Math::max);
		}

		static synchronized Stats start() {
			current = new Stats();
			return current;
		}

		synchronized String summary(String property, PropertyExecutionResult result, long millis) {
			String outcomes = this.outcomes.entrySet()
				.stream()
				.map((entry) -> entry.getKey() + "=" + entry.getValue())
				.collect(Collectors.joining(" "));
			String maxima = this.maxima.entrySet()
				.stream()
				.map((entry) -> " max " + entry.getKey() + "=" + entry.getValue())
				.collect(Collectors.joining(","));
			return String.format("[fuzz] %s: %s, %d tries, %d calls -> %s%s, %.1f s, seed %s", property,
					result.status(), result.countTries(), this.calls, outcomes.isEmpty() ? "-" : outcomes, maxima,
					millis / 1000.0, result.seed().orElse("?"));
		}

	}

	/** Sets the tries of the long form and prints each property's figures. */
	static final class Budget implements AroundPropertyHook {

		@Override
		public PropagationMode propagateTo() {
			return PropagationMode.ALL_DESCENDANTS;
		}

		@Override
		public PropertyExecutionResult aroundProperty(PropertyLifecycleContext context, PropertyExecutor property) {
			String tries = System.getProperty("fuzz.tries");
			if (tries != null && !tries.isBlank()) {
				double weight = context.findAnnotation(Weight.class).map(Weight::value).orElse(1.0);
				context.attributes().setTries((int) Math.max(1, Math.round(Integer.parseInt(tries.strip()) * weight)));
			}
			Stats stats = Stats.start();
			long start = System.nanoTime();
			PropertyExecutionResult result = property.execute();
			System.out.println(stats.summary(context.targetMethod().getName(), result,
					TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)));
			return result;
		}

	}

}
