package dev.llmfallback.benchmarks.engine;

import java.util.concurrent.TimeUnit;

import okhttp3.OkHttpClient;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.ai.openai.OpenAiChatModel;

import dev.llmfallback.ChatRequest;
import dev.llmfallback.ChatService;
import dev.llmfallback.provider.ChatProvider;
import dev.llmfallback.provider.ProviderRequest;

import org.springframework.web.reactive.function.client.WebClient;

/**
 * Whole client stacks with no network: each one sends the same prompt and parses the same canned
 * completion from a stub at the bottom of its HTTP client ({@link StubTransports}), so what is left
 * is what the stack itself costs per call (building and writing the request, the client's exchange
 * machinery, parsing the reply, and for the engine its policy walk).
 *
 * <ul>
 * <li>{@code webClientDirect}: a bare WebClient posts the body and reads the reply as a string, the
 * direct call under our stack;</li>
 * <li>{@code adapter}: our OpenAI adapter alone; {@code engine}: the adapter behind the engine's
 * policy;</li>
 * <li>{@code okHttpDirect}: a bare OkHttp client does the same, the direct call under Spring AI's
 * stack; {@code springAi}: Spring AI 2.0's {@code OpenAiChatModel} with its default options (the
 * openai-java SDK and its retries, on Spring AI's OkHttp client).</li>
 * </ul>
 * Overhead of a stack = its time minus the direct call on its own transport, so neither side is
 * charged for its choice of HTTP client, and both pay for JSON.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = { "-Xms512m", "-Xmx512m" })
@Threads(1)
public class NoNetworkStackBenchmark {

	/** The stubs ignore the host; a URL is still needed to build the requests. */
	private static final String BASE_URL = "http://127.0.0.1:9/v1";

	private static final String URL = BASE_URL + "/chat/completions";

	private WebClient webClient;

	private OkHttpClient okHttp;

	private ChatProvider provider;

	private ProviderRequest providerRequest;

	private ChatRequest request;

	private ChatService engine;

	private OpenAiChatModel springAi;

	private Prompt prompt;

	@Setup
	public void setUp() {
		this.webClient = Stacks.webClient(StubTransports.webClientConnector());
		this.okHttp = Stacks.okHttp(StubTransports.okHttpInterceptor());
		this.provider = Stacks.openAiProvider("openai", BASE_URL, StubTransports.webClientConnector());
		this.request = Stacks.chatRequest();
		this.providerRequest = new ProviderRequest(Stacks.MODEL, this.request);
		this.engine = Stacks.engine(this.provider).chatService();
		this.springAi = Stacks.springAi(BASE_URL, StubTransports.okHttpInterceptor());
		this.prompt = Stacks.prompt();
		Answers.check("webClientDirect", webClientDirect());
		Answers.check("okHttpDirect", okHttpDirect());
		Answers.check("adapter", adapter().content());
		Answers.check("engine", engine().content());
		Answers.check("springAi", springAi().getResult().getOutput().getText());
	}

	@TearDown
	public void tearDown() {
		Stacks.close(this.provider);
		this.okHttp.dispatcher().executorService().shutdown();
		this.okHttp.connectionPool().evictAll();
	}

	@Benchmark
	public String webClientDirect() {
		return Stacks.post(this.webClient, URL);
	}

	@Benchmark
	public dev.llmfallback.provider.ProviderResponse adapter() {
		return this.provider.chat(this.providerRequest).block();
	}

	@Benchmark
	public dev.llmfallback.ChatResponse engine() {
		return this.engine.chat(this.request).block();
	}

	@Benchmark
	public String okHttpDirect() {
		return Stacks.post(this.okHttp, URL);
	}

	@Benchmark
	public org.springframework.ai.chat.model.ChatResponse springAi() {
		return this.springAi.call(this.prompt);
	}

}
