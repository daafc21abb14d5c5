package dev.llmfallback.provider.http;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

import dev.llmfallback.provider.ProviderSettings;
import dev.llmfallback.provider.StubServer;
import dev.llmfallback.provider.StubServer.Reply;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.EventExecutor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.HttpResources;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;
import reactor.netty.resources.LoopResources;

import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.core.io.buffer.NettyDataBufferFactory;
import org.springframework.http.HttpHeaders;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link EventLoopLanes} through {@link ProviderHttpClient}'s direct transport, against a real server
 * on loopback: a call made on an event loop is sent and answered on that loop, the provider's
 * connection cap holds over all the loops together, and loops that were shut down are replaced.
 */
class EventLoopLanesTests {

	private static final FixedRequestHeaders HEADERS = new FixedRequestHeaders(new HttpHeaders());

	private static final byte[] BODY = "{}".getBytes(StandardCharsets.UTF_8);

	private static final NettyDataBufferFactory BUFFERS = new NettyDataBufferFactory(ByteBufAllocator.DEFAULT);

	private final StubServer server = StubServer.start();

	private final List<ProviderHttpClient> clients = new ArrayList<>();

	@AfterEach
	void close() {
		this.clients.forEach(ProviderHttpClient::close);
		this.server.close();
	}

	@Test
	void aCallMadeOnAnEventLoopIsAnsweredOnThatLoopThoughAnotherLoopLeftAConnectionIdle() throws Exception {
		ProviderHttpClient client = client(100);
		List<EventLoop> loops = loops();
		assertThat(loops).hasSizeGreaterThan(1);
		// Twice round the loops: on the second round the first loop's connection is idle in the pool
		// when the second loop calls; one pool for all loops would hand it over.
		for (int round = 0; round < 2; round++) {
			for (EventLoop loop : loops) {
				this.server.enqueue(Reply.json(200, "{}"));
				Thread answeredOn = callOn(loop, client);
				assertThat(loop.inEventLoop(answeredOn)).as("answered on the loop that called, round %d", round).isTrue();
			}
		}
	}

	@Test
	void theConnectionCapHoldsOverAllLoopsAndNoCallIsLeftWaiting() throws Exception {
		List<EventLoop> loops = loops();
		int max = loops.size() + 1;
		ProviderHttpClient client = client(max);
		int calls = 3 * loops.size();
		for (int i = 0; i < calls; i++) {
			this.server.enqueue(Reply.generated(200, "application/json",
					Flux.just("{}".getBytes(StandardCharsets.UTF_8)).delayElements(Duration.ofMillis(50))));
		}
		List<CompletableFuture<Thread>> answers = new ArrayList<>();
		for (int i = 0; i < calls; i++) {
			answers.add(startOn(loops.get(i % loops.size()), client));
		}
		CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
		Set<Integer> connections = new HashSet<>();
		for (int i = 0; i < calls; i++) {
			connections.add(this.server.takeRequest().clientPort());
		}
		assertThat(connections).hasSizeBetween(1, max);
	}

	@Test
	void theCapIsSplitAmongTheLoopsWithTheRemainderToTheFirst() {
		int loops = loops().size();
		try (EventLoopLanes lanes = lanes(2 * loops + 1)) {
			int[] shares = lanes.shares();
			assertThat(shares).hasSize(loops);
			assertThat(Arrays.stream(shares).sum()).isEqualTo(2 * loops + 1);
			assertThat(shares[0]).isEqualTo(3);
			assertThat(Arrays.stream(shares).skip(1)).containsOnly(2);
		}
	}

	@Test
	void fewerConnectionsThanLoopsMakeOneLaneWithTheWholeCap() {
		int loops = loops().size();
		try (EventLoopLanes lanes = lanes(loops - 1)) {
			assertThat(lanes.shares()).containsExactly(loops - 1);
		}
	}

	@Test
	void lanesOfLoopsThatWereShutDownAreOpenedAgainOnTheNewLoops() throws Exception {
		EventLoopGroup first = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
		EventLoopGroup second = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
		AtomicReference<EventLoopGroup> current = new AtomicReference<>(first);
		try (EventLoopLanes lanes = new EventLoopLanes("lanes", current::get, 10, Function.identity(), HttpClient::create)) {
			EventLoop before = first.next();
			this.server.enqueue(Reply.json(200, "{}"));
			assertThat(before.inEventLoop(callOn(before, lanes))).isTrue();
			first.shutdownGracefully(0, 0, TimeUnit.SECONDS).sync();
			current.set(second);
			EventLoop after = second.next();
			this.server.enqueue(Reply.json(200, "{}"));
			assertThat(after.inEventLoop(callOn(after, lanes))).as("answered on the new loop that called").isTrue();
		}
		finally {
			first.shutdownGracefully(0, 0, TimeUnit.SECONDS);
			second.shutdownGracefully(0, 0, TimeUnit.SECONDS).sync();
		}
	}

	private ProviderHttpClient client(int maxConnections) {
		ProviderHttpClient client = ProviderHttpClient.create(ProviderSettings.builder("lanes", "openai")
			.baseUrl(this.server.url())
			.maxConnections(maxConnections)
			.build(), null);
		this.clients.add(client);
		return client;
	}

	private static EventLoopLanes lanes(int maxConnections) {
		return new EventLoopLanes("lanes", maxConnections, Function.identity(), HttpClient::create);
	}

	private static List<EventLoop> loops() {
		List<EventLoop> loops = new ArrayList<>();
		for (EventExecutor executor : HttpResources.get().onClient(LoopResources.DEFAULT_NATIVE)) {
			loops.add((EventLoop) executor);
		}
		return loops;
	}

	private Thread callOn(EventLoop loop, ProviderHttpClient client) throws Exception {
		return startOn(loop, client).get(5, TimeUnit.SECONDS);
	}

	/** Makes a call on the given loop; completes with the thread its answer came on once its body is read. */
	private CompletableFuture<Thread> startOn(EventLoop loop, ProviderHttpClient client) {
		CompletableFuture<Thread> answered = new CompletableFuture<>();
		loop.execute(() -> client.post(uri(), HEADERS, BODY, (answer) -> read(answer, answered))
			.subscribe(null, answered::completeExceptionally));
		return answered;
	}

	/** The same through lanes of the test's own loops, with a plain client. */
	private Thread callOn(EventLoop loop, EventLoopLanes lanes) throws Exception {
		CompletableFuture<Thread> answered = new CompletableFuture<>();
		loop.execute(() -> lanes.post(uri(), HEADERS, (sender) -> sender.send((request, out) -> out.sendByteArray(Mono.just(BODY)))
			.response((response, content) -> read(new HttpAnswer(response.status().code(), new HttpHeaders(),
					content.retain().map(BUFFERS::wrap)), answered)))
			.subscribe(null, answered::completeExceptionally));
		return answered.get(5, TimeUnit.SECONDS);
	}

	private static Mono<Void> read(HttpAnswer answer, CompletableFuture<Thread> answered) {
		Thread thread = Thread.currentThread();
		return answer.body().doOnNext(DataBufferUtils::release).then(Mono.fromRunnable(() -> answered.complete(thread)));
	}

	private URI uri() {
		return URI.create(this.server.url() + "/v1/chat/completions");
	}

}
