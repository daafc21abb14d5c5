package dev.llmfallback.benchmarks.engine;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
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
import reactor.netty.resources.ConnectionProvider;

import dev.llmfallback.ChatRequest;
import dev.llmfallback.ChatResponse;
import dev.llmfallback.ChatService;
import dev.llmfallback.benchmarks.upstream.UpstreamProcess;
import dev.llmfallback.provider.ChatProvider;
import dev.llmfallback.provider.ProviderRequest;
import dev.llmfallback.provider.ProviderResponse;

import org.springframework.web.reactive.function.client.WebClient;

/**
 * One chat call over loopback to a zero-delay {@code BenchUpstream} that runs in a JVM of its own
 * (so its work and its allocations are not charged to the client measured here), one call at a time:
 *
 * <ul>
 * <li>{@code webClientDirect}: a bare WebClient on Reactor Netty posts the body our adapter sends and
 * reads the reply as a string: the direct baseline;</li>
 * <li>{@code adapter}: our OpenAI adapter alone; {@code engine}: the adapter behind the engine;</li>
 * <li>{@code primary503ThenSecondary}: the engine whose primary (a second upstream port) answers 503
 * and whose secondary serves: one failed round trip and a hop;</li>
 * <li>{@code okHttpDirect}: a bare OkHttp client doing the same as {@code webClientDirect}, the direct
 * call on Spring AI's transport; {@code springAi}: Spring AI 2.0's {@code OpenAiChatModel} with its
 * default options (the openai-java SDK and its retries on Spring AI's OkHttp client).</li>
 * </ul>
 * Average time for µs per call, sample time for p50 and p99; run with {@code -prof gc} for the
 * bytes allocated per call.
 */
@State(Scope.Benchmark)
@BenchmarkMode({ Mode.AverageTime, Mode.SampleTime })
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = { "-Xms512m", "-Xmx512m" })
@Threads(1)
public class LoopbackBenchmark {

	private UpstreamProcess upstreams;

	private String url;

	private ConnectionProvider directConnections;

	private WebClient webClient;

	private OkHttpClient okHttp;

	private ChatProvider provider;

	private ChatProvider primary;

	private ChatProvider secondary;

	private ProviderRequest providerRequest;

	private ChatRequest request;

	private ChatService engine;

	private ChatService failover;

	private OpenAiChatModel springAi;

	private Prompt prompt;

	private Thread closeOnExit;

	@Setup
	public void setUp() throws IOException {
		String shared = System.getProperty(EngineBenchmark.OK_PORT);
		if (shared != null) {
			// EngineBenchmark runs one upstream JVM for every fork.
			connect(Integer.parseInt(shared), Integer.getInteger(EngineBenchmark.OVERLOADED_PORT));
			return;
		}
		int[] ports = freePorts(2);
		int ok = ports[0];
		int overloaded = ports[1];
		Path log = Path.of(System.getProperty("benchmarks.results", "benchmarks/target/results"), "engine-upstream.log");
		this.upstreams = UpstreamProcess.start(List.of("-Xms256m", "-Xmx256m"),
				List.of(Integer.toString(ok), overloaded + ":mode=status_503"), log);
		// A fork stopped midway (Ctrl-C, a JMH time-out) still takes its upstream JVM with it.
		UpstreamProcess started = this.upstreams;
		this.closeOnExit = new Thread(started::close, "close-upstream");
		Runtime.getRuntime().addShutdownHook(this.closeOnExit);
		try {
			connect(ok, overloaded);
		}
		catch (RuntimeException | Error ex) {
			// JMH calls no tear-down after a failed set-up: leave no upstream behind.
			tearDown();
			throw ex;
		}
	}

	private void connect(int ok, int overloaded) {
		String baseUrl = "http://127.0.0.1:" + ok + "/v1";
		this.url = baseUrl + "/chat/completions";
		this.directConnections = ConnectionProvider.create("direct", 16);
		this.webClient = Stacks.webClient(this.directConnections);
		this.okHttp = Stacks.okHttp(null);
		this.provider = Stacks.openAiProvider("openai", baseUrl, null);
		this.primary = Stacks.openAiProvider("primary", "http://127.0.0.1:" + overloaded + "/v1", null);
		this.secondary = Stacks.openAiProvider("secondary", baseUrl, null);
		this.request = Stacks.chatRequest();
		this.providerRequest = new ProviderRequest(Stacks.MODEL, this.request);
		this.engine = Stacks.engine(this.provider).chatService();
		this.failover = Stacks.failoverEngine(this.primary, this.secondary).chatService();
		this.springAi = Stacks.springAi(baseUrl, null);
		this.prompt = Stacks.prompt();
		Answers.check("webClientDirect", webClientDirect());
		Answers.check("okHttpDirect", okHttpDirect());
		Answers.check("adapter", adapter().content());
		Answers.check("engine", engine().content());
		Answers.check("springAi", this.springAi.call(this.prompt).getResult().getOutput().getText());
		ChatResponse hopped = primary503ThenSecondary();
		Answers.check("primary503ThenSecondary", hopped.content());
		if (hopped.fallbacks() != 1 || hopped.attempts().size() != 2) {
			throw new IllegalStateException("primary503ThenSecondary: expected one failed attempt and one hop, saw "
					+ hopped.attempts());
		}
	}

	@TearDown
	public void tearDown() {
		try {
			Stacks.close(this.provider);
			Stacks.close(this.primary);
			Stacks.close(this.secondary);
			if (this.directConnections != null) {
				this.directConnections.dispose();
			}
			if (this.okHttp != null) {
				this.okHttp.dispatcher().executorService().shutdown();
				this.okHttp.connectionPool().evictAll();
			}
		}
		finally {
			if (this.upstreams != null) {
				this.upstreams.close();
				Runtime.getRuntime().removeShutdownHook(this.closeOnExit);
			}
		}
	}

	@Benchmark
	public String webClientDirect() {
		return Stacks.post(this.webClient, this.url);
	}

	@Benchmark
	public ProviderResponse adapter() {
		return this.provider.chat(this.providerRequest).block();
	}

	@Benchmark
	public ChatResponse engine() {
		return this.engine.chat(this.request).block();
	}

	@Benchmark
	public ChatResponse primary503ThenSecondary() {
		return this.failover.chat(this.request).block();
	}

	@Benchmark
	public String okHttpDirect() {
		return Stacks.post(this.okHttp, this.url);
	}

	@Benchmark
	public org.springframework.ai.chat.model.ChatResponse springAi() {
		return this.springAi.call(this.prompt);
	}

	/** Ports free now, all different (the sockets stay open until every port is chosen). */
	static int[] freePorts(int count) throws IOException {
		ServerSocket[] sockets = new ServerSocket[count];
		int[] ports = new int[count];
		try {
			for (int i = 0; i < count; i++) {
				sockets[i] = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
				ports[i] = sockets[i].getLocalPort();
			}
			return ports;
		}
		finally {
			for (ServerSocket socket : sockets) {
				if (socket != null) {
					socket.close();
				}
			}
		}
	}

}
