package dev.llmfallback.benchmarks;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import dev.llmfallback.ChatMessage;
import dev.llmfallback.ChatRequest;
import dev.llmfallback.ChatResponse;
import dev.llmfallback.ChatService;
import dev.llmfallback.ErrorCategory;
import dev.llmfallback.LlmException;
import dev.llmfallback.Tool;
import dev.llmfallback.ToolCall;
import dev.llmfallback.Usage;
import dev.llmfallback.engine.FallbackEngine;
import dev.llmfallback.policy.FallbackPolicy;
import dev.llmfallback.policy.ModelDefinition;
import dev.llmfallback.provider.ChatProvider;
import dev.llmfallback.provider.ProviderChunk;
import dev.llmfallback.provider.ProviderRequest;
import dev.llmfallback.provider.ProviderResponse;

/**
 * What the engine adds to one call, with a provider that answers at once and never touches the
 * network: the direct call to the provider, the same call through the engine's default policy
 * (with and without an event listener), and the path where the primary fails with a 503 and the
 * secondary serves. The {@code ...ToolCall} pair measures the same for a request with a tool
 * definition, earlier tool calls and a tool result, answered by a tool call (issue 13, point 11: the
 * engine then reads the request's needs, asks the provider what it cannot carry, counts the tools
 * toward the context window and passes the calls on); the text pair above it is the guard's and
 * stays as it is.
 *
 * <p>Run: {@code mvn -B -q -Pbenchmarks -pl benchmarks -am package -DskipTests && java -jar
 * benchmarks/target/benchmarks.jar EngineOverhead -prof gc}, or all engine benchmarks with their
 * summary: {@code benchmarks/engine.sh}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
// One-second iterations keep the whole engine part (benchmarks/engine.sh) within about 8 minutes.
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = { "-Xms512m", "-Xmx512m" })
public class EngineOverheadBenchmark {

	private ChatProvider provider;

	private ProviderRequest providerRequest;

	private ChatRequest request;

	private ChatService engine;

	private ChatService engineWithListener;

	private ChatService failover;

	private ChatProvider toolProvider;

	private ChatRequest toolRequest;

	private ProviderRequest toolProviderRequest;

	private ChatService toolEngine;

	@Setup
	public void setUp() {
		this.provider = new InstantProvider("openai", ProviderResponse.of("ok"));
		this.request = ChatRequest.builder().system("Be brief.").user("What is the capital of France?").build();
		this.providerRequest = new ProviderRequest("gpt-4o-mini", this.request);
		this.engine = engine(false).chatService();
		this.engineWithListener = engine(true).chatService();
		this.failover = failoverEngine().chatService();
		ToolCall call = new ToolCall("call_1", "weather", "{\"city\":\"Paris\"}");
		this.toolProvider = new InstantProvider("openai",
				new ProviderResponse("", "tool_calls", null, null, List.of(new ToolCall("call_2", "weather", "{\"city\":\"Oslo\"}"))));
		this.toolRequest = ChatRequest.builder()
			.system("Be brief.")
			.user("What is the weather in Paris, then in Oslo?")
			.message(ChatMessage.assistant(null, List.of(call)))
			.message(ChatMessage.toolResult("call_1", "{\"temperature\":21,\"sky\":\"clear\"}"))
			.tool(Tool.function("weather", "The current weather in a city",
					Map.of("type", "object", "properties", Map.of("city", Map.of("type", "string")), "required",
							List.of("city"))))
			.build();
		this.toolProviderRequest = new ProviderRequest("gpt-4o-mini", this.toolRequest);
		this.toolEngine = FallbackEngine.builder()
			.provider(this.toolProvider)
			.model(ModelDefinition.builder("gpt-4o-mini").provider("openai").build())
			.policy(FallbackPolicy.builder("chat").models("gpt-4o-mini").build())
			.build()
			.chatService();
	}

	private FallbackEngine engine(boolean listener) {
		FallbackEngine.Builder builder = FallbackEngine.builder()
			.provider(this.provider)
			.model(ModelDefinition.builder("gpt-4o-mini").provider("openai").build())
			.policy(FallbackPolicy.builder("chat").models("gpt-4o-mini").build());
		if (listener) {
			builder.listener((event) -> {
			});
		}
		return builder.build();
	}

	private FallbackEngine failoverEngine() {
		LlmException overloaded = LlmException.builder(ErrorCategory.SERVICE_UNAVAILABLE)
			.httpStatus(503)
			.message("overloaded")
			.build();
		return FallbackEngine.builder()
			.provider(new FailingProvider("primary", overloaded))
			.provider(this.provider)
			.model(ModelDefinition.builder("primary").provider("primary").build())
			.model(ModelDefinition.builder("gpt-4o-mini").provider("openai").build())
			// No retries and no cooldown, so every call measures the same fail-then-hop path.
			.policy(FallbackPolicy.builder("chat")
				.models("primary", "gpt-4o-mini")
				.retryOn(java.util.List.of())
				.cooldown(dev.llmfallback.policy.CooldownSpec.builder().window(java.time.Duration.ofNanos(1)).build())
				.build())
			.build();
	}

	@Benchmark
	public ProviderResponse direct() {
		return this.provider.chat(this.providerRequest).block();
	}

	@Benchmark
	public ChatResponse engine() {
		return this.engine.chat(this.request).block();
	}

	@Benchmark
	public ChatResponse engineWithListener() {
		return this.engineWithListener.chat(this.request).block();
	}

	@Benchmark
	public ProviderResponse directToolCall() {
		return this.toolProvider.chat(this.toolProviderRequest).block();
	}

	@Benchmark
	public ChatResponse engineToolCall() {
		return this.toolEngine.chat(this.toolRequest).block();
	}

	@Benchmark
	public ChatResponse primary503ThenSecondary() {
		return this.failover.chat(this.request).block();
	}

	/** Answers at once with a prepared response. */
	static final class InstantProvider implements ChatProvider {

		private final String name;

		private final Mono<ProviderResponse> answer;

		InstantProvider(String name, ProviderResponse response) {
			this.name = name;
			this.answer = Mono.just(new ProviderResponse(response.content(),
					(response.finishReason() != null) ? response.finishReason() : "stop", "gpt-4o-mini-2024-07-18",
					Usage.of(14, 1), response.toolCalls()));
		}

		@Override
		public String name() {
			return this.name;
		}

		@Override
		public Mono<ProviderResponse> chat(ProviderRequest request) {
			return this.answer;
		}

		@Override
		public Flux<ProviderChunk> stream(ProviderRequest request) {
			return Flux.just(ProviderChunk.text("ok"), ProviderChunk.finish("stop", Usage.of(14, 1)));
		}

	}

	/** Fails at once with a prepared error. */
	static final class FailingProvider implements ChatProvider {

		private final String name;

		private final LlmException error;

		FailingProvider(String name, LlmException error) {
			this.name = name;
			this.error = error;
		}

		@Override
		public String name() {
			return this.name;
		}

		@Override
		public Mono<ProviderResponse> chat(ProviderRequest request) {
			return Mono.error(this.error);
		}

		@Override
		public Flux<ProviderChunk> stream(ProviderRequest request) {
			return Flux.error(this.error);
		}

	}

}
