package dev.llmfallback.benchmarks.upstream;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelOption;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

/**
 * A fast local upstream in OpenAI's chat completions wire format, for measuring what sits in front
 * of it. One instance is one loopback port with one {@link Behaviour} (switchable while it runs) and
 * its own counters. Every answer is built once, so the upstream costs next to nothing per request.
 *
 * <ul>
 * <li>{@code POST /v1/chat/completions}: a fixed small completion, or (with {@code "stream":true})
 * Server-Sent Events, as the behaviour says.</li>
 * <li>{@code POST /_control/behave?mode=status_503&delay=20ms...}: switches the behaviour (other
 * parameters keep their values) and answers with it.</li>
 * <li>{@code GET /_control/stats}: {@code {"requests":..,"streams":..,"openConnections":..,"behaviour":".."}}.</li>
 * <li>{@code POST /_control/reset}: zeroes the counters.</li>
 * </ul>
 *
 * Run alone with {@code java -cp benchmarks.jar dev.llmfallback.benchmarks.upstream.BenchUpstream
 * PORT[:QUERY] ...}, for instance {@code 9001 9002:mode=status_503}.
 *
 * <p>Over 300 lines: one fake provider with every behaviour the benchmarks ask of it (answers,
 * streams, faults, embeddings) and its control endpoints; the behaviours' parsing is {@link
 * Behaviour}.
 */
public final class BenchUpstream implements AutoCloseable {

	private static final Pattern STREAM = Pattern.compile("\"stream\"\\s*:\\s*true");

	static final String COMPLETION = "{\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion\",\"created\":1767225600,"
			+ "\"model\":\"bench\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":"
			+ "\"Hello from the bench upstream.\"},\"finish_reason\":\"stop\"}],"
			+ "\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":7,\"total_tokens\":19}}";

	private static final byte[] COMPLETION_BYTES = COMPLETION.getBytes(StandardCharsets.UTF_8);

	private static final String CHUNK = "data: {\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion.chunk\","
			+ "\"created\":1767225600,\"model\":\"bench\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"tok%d \"},"
			+ "\"finish_reason\":null}]}\n\n";

	private static final String LAST_CHUNK = "data: {\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion.chunk\","
			+ "\"created\":1767225600,\"model\":\"bench\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}],"
			+ "\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":%d,\"total_tokens\":%d}}\n\ndata: [DONE]\n\n";

	private static final String ERROR_EVENT = "data: {\"error\":{\"message\":\"The server had an error while processing "
			+ "your request. Sorry about that!\",\"type\":\"server_error\",\"param\":null,\"code\":null}}\n\n";

	private static final String OVERLOADED = "{\"error\":{\"message\":\"The engine is currently overloaded, please try "
			+ "again later.\",\"type\":\"server_error\",\"param\":null,\"code\":null}}";

	private static final String RATE_LIMITED = "{\"error\":{\"message\":\"Rate limit reached for requests.\","
			+ "\"type\":\"requests\",\"param\":null,\"code\":\"rate_limit_exceeded\"}}";

	private final AtomicReference<Behaviour> behaviour;

	private final AtomicLong requests = new AtomicLong();

	private final AtomicLong streams = new AtomicLong();

	private final AtomicInteger openConnections = new AtomicInteger();

	private final DisposableServer server;

	private BenchUpstream(int port, Behaviour behaviour) {
		this.behaviour = new AtomicReference<>(behaviour);
		this.server = HttpServer.create()
			.host("127.0.0.1")
			.port(port)
			// Once per TCP connection: doOnConnection runs once per request of a kept-alive connection.
			.doOnChannelInit((observer, channel, address) -> {
				this.openConnections.incrementAndGet();
				channel.closeFuture().addListener((closed) -> this.openConnections.decrementAndGet());
			})
			.route((routes) -> routes.post("/v1/chat/completions", this::chat)
				.post("/v1/embeddings", this::embeddings)
				.post("/_control/behave", this::behave)
				.get("/_control/stats", (request, response) -> json(response, stats()))
				.post("/_control/reset", (request, response) -> {
					resetCounters();
					return json(response, stats());
				}))
			.bindNow();
	}

	/**
	 * Starts an upstream on a free loopback port.
	 * @param behaviour how it answers at first
	 * @return the running upstream
	 */
	public static BenchUpstream start(Behaviour behaviour) {
		return new BenchUpstream(0, behaviour);
	}

	/**
	 * Starts an upstream on the given loopback port (0 for a free one).
	 * @param port the port
	 * @param behaviour how it answers at first
	 * @return the running upstream
	 */
	public static BenchUpstream start(int port, Behaviour behaviour) {
		return new BenchUpstream(port, behaviour);
	}

	/**
	 * A loopback port that nothing listens on, so that a connection to it is refused at once.
	 * @return the port (free when this returns; nothing here binds it again)
	 */
	public static int refusedPort() {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new IllegalStateException("no free port for a refused connection", ex);
		}
	}

	public int port() {
		return this.server.port();
	}

	/** @return {@code http://127.0.0.1:PORT/v1}, an OpenAI base URL */
	public String baseUrl() {
		return "http://127.0.0.1:" + port() + "/v1";
	}

	public Behaviour behaviour() {
		return this.behaviour.get();
	}

	/** @param behaviour how requests arriving from now on are answered */
	public void behave(Behaviour behaviour) {
		this.behaviour.set(behaviour);
	}

	/** @return chat requests received (streamed ones included) since the start or the last reset */
	public long requests() {
		return this.requests.get();
	}

	/** @return streamed chat requests received since the start or the last reset */
	public long streams() {
		return this.streams.get();
	}

	/** @return connections open now */
	public int openConnections() {
		return this.openConnections.get();
	}

	public void resetCounters() {
		this.requests.set(0);
		this.streams.set(0);
	}

	@Override
	public void close() {
		this.server.disposeNow(Duration.ofSeconds(5));
	}

	private Publisher<Void> chat(HttpServerRequest request, HttpServerResponse response) {
		this.requests.incrementAndGet();
		Behaviour current = this.behaviour.get();
		return request.receive().aggregate().asString().defaultIfEmpty("").flatMap((body) -> {
			boolean stream = STREAM.matcher(body).find();
			if (stream) {
				this.streams.incrementAndGet();
			}
			return switch (current.mode()) {
				case OK -> stream ? Mono.from(stream(response, current, current.chunks(), false))
						: later(current.delay(), completion(response));
				case SLOW_HEADERS -> later(current.delay(),
						stream ? Mono.from(stream(response, current.withDelay(Duration.ZERO), current.chunks(), false))
								: completion(response));
				case STATUS_503 -> later(current.delay(), error(response, HttpResponseStatus.SERVICE_UNAVAILABLE,
						OVERLOADED, current.retryAfter()));
				case STATUS_429 -> later(current.delay(), error(response, HttpResponseStatus.TOO_MANY_REQUESTS,
						RATE_LIMITED, current.retryAfter()));
				case HANG -> Mono.never();
				case ABORT_MID_STREAM -> Mono.from(stream(response, current, Math.max(1, current.chunks() / 2), false))
					.then(reset(response));
				case ERROR_EVENT_MID_STREAM -> Mono.from(stream(response, current, Math.max(1, current.chunks() / 2), true));
			};
		});
	}

	/**
	 * An OpenAI embeddings answer with one vector of {@link #EMBEDDING_DIMENSIONS} numbers per
	 * input: one for a string, as many as the array holds (counted by its commas, for the
	 * benchmark's own simple bodies). Counted as requests like chat.
	 */
	private Publisher<Void> embeddings(HttpServerRequest request, HttpServerResponse response) {
		this.requests.incrementAndGet();
		return request.receive().aggregate().asString().defaultIfEmpty("").flatMap((body) -> {
			int inputs = embeddingInputs(body);
			byte[] answer = EMBEDDING_ANSWERS.computeIfAbsent(inputs, BenchUpstream::embeddingAnswer);
			return response.header("content-type", "application/json")
				.header("content-length", Integer.toString(answer.length))
				.send(Mono.just(Unpooled.wrappedBuffer(answer)))
				.then();
		});
	}

	/** The vector length of the embeddings answers (text-embedding-3-small's). */
	public static final int EMBEDDING_DIMENSIONS = 1536;

	private static final java.util.Map<Integer, byte[]> EMBEDDING_ANSWERS = new java.util.concurrent.ConcurrentHashMap<>();

	static int embeddingInputs(String body) {
		int input = body.indexOf("\"input\"");
		int open = (input >= 0) ? body.indexOf('[', input) : -1;
		int quote = (input >= 0) ? body.indexOf('"', input + 7) : -1;
		if (open < 0 || (quote >= 0 && quote < open)) {
			return 1;
		}
		int close = body.indexOf(']', open);
		int inputs = 1;
		for (int i = open; i < close; i++) {
			if (body.charAt(i) == ',') {
				inputs++;
			}
		}
		return inputs;
	}

	private static byte[] embeddingAnswer(int inputs) {
		java.util.SplittableRandom random = new java.util.SplittableRandom(inputs);
		StringBuilder json = new StringBuilder(inputs * EMBEDDING_DIMENSIONS * 12).append("{\"object\":\"list\",\"data\":[");
		for (int i = 0; i < inputs; i++) {
			json.append((i > 0) ? "," : "").append("{\"object\":\"embedding\",\"index\":").append(i).append(",\"embedding\":[");
			for (int d = 0; d < EMBEDDING_DIMENSIONS; d++) {
				json.append((d > 0) ? "," : "").append((float) (random.nextDouble() * 2 - 1) / 30f);
			}
			json.append("]}");
		}
		json.append("],\"model\":\"text-embedding-3-small\",\"usage\":{\"prompt_tokens\":").append(inputs * 8)
			.append(",\"total_tokens\":").append(inputs * 8).append("}}");
		return json.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
	}

	private static Mono<Void> later(Duration delay, Mono<Void> answer) {
		return delay.isZero() ? answer : Mono.delay(delay).then(answer);
	}

	private static Mono<Void> completion(HttpServerResponse response) {
		return Mono.defer(() -> response.header("content-type", "application/json")
			.header("content-length", Integer.toString(COMPLETION_BYTES.length))
			.send(Mono.just(Unpooled.wrappedBuffer(COMPLETION_BYTES)))
			.then());
	}

	private static Mono<Void> error(HttpServerResponse response, HttpResponseStatus status, String body,
			Duration retryAfter) {
		return Mono.defer(() -> {
			response.status(status).header("content-type", "application/json");
			if (!retryAfter.isZero()) {
				response.header("retry-after", Long.toString(Math.max(1, retryAfter.toSeconds())));
			}
			return response.sendString(Mono.just(body)).then();
		});
	}

	/** Headers at once, the first chunk after the delay, then one chunk per interval. */
	private static Publisher<Void> stream(HttpServerResponse response, Behaviour behaviour, int chunks,
			boolean errorAtEnd) {
		// delayElements would hold back the first chunk by a whole interval too; only later ones wait.
		Duration interval = behaviour.chunkInterval();
		Flux<Integer> indexes = interval.isZero() ? Flux.range(0, chunks)
				: Flux.range(0, chunks).delayUntil((index) -> (index == 0) ? Mono.empty() : Mono.delay(interval));
		if (!behaviour.delay().isZero()) {
			indexes = indexes.delaySubscription(behaviour.delay());
		}
		boolean complete = chunks == behaviour.chunks() && !errorAtEnd;
		Flux<ByteBuf> events = indexes.map((index) -> buffer(String.format(CHUNK, index)));
		if (complete) {
			events = events.concatWith(Mono.fromSupplier(() -> buffer(String.format(LAST_CHUNK, chunks, 12 + chunks))));
		}
		if (errorAtEnd) {
			events = events.concatWith(Mono.fromSupplier(() -> buffer(ERROR_EVENT)));
		}
		return response.header("content-type", "text/event-stream").header("cache-control", "no-cache").send(events);
	}

	private static ByteBuf buffer(String text) {
		return Unpooled.wrappedBuffer(text.getBytes(StandardCharsets.UTF_8));
	}

	/** Closes the connection with a TCP reset (SO_LINGER 0), with no end of the chunked body. */
	private static Mono<Void> reset(HttpServerResponse response) {
		return Mono.<Void>fromRunnable(() -> response.withConnection((connection) -> {
			connection.channel().config().setOption(ChannelOption.SO_LINGER, 0);
			connection.channel().close();
		})).then(Mono.never());
	}

	private Publisher<Void> behave(HttpServerRequest request, HttpServerResponse response) {
		Map<String, String> parameters = new LinkedHashMap<>();
		new QueryStringDecoder(request.uri()).parameters()
			.forEach((name, values) -> parameters.put(name, values.get(values.size() - 1)));
		try {
			behave(this.behaviour.get().with(parameters));
		}
		catch (RuntimeException ex) {
			return response.status(HttpResponseStatus.BAD_REQUEST).sendString(Mono.just(String.valueOf(ex.getMessage())));
		}
		return json(response, stats());
	}

	private String stats() {
		return "{\"requests\":" + this.requests.get() + ",\"streams\":" + this.streams.get() + ",\"openConnections\":"
				+ this.openConnections.get() + ",\"behaviour\":\"" + this.behaviour.get() + "\"}";
	}

	private static Publisher<Void> json(HttpServerResponse response, String body) {
		return response.header("content-type", "application/json").sendString(Mono.just(body));
	}

	/**
	 * Starts one upstream per argument, {@code PORT} or {@code PORT:QUERY} (a behaviour in the control
	 * endpoint's query form), and runs until killed.
	 * @param args the ports and behaviours
	 * @throws InterruptedException if interrupted while running
	 */
	public static void main(String[] args) throws InterruptedException {
		if (args.length == 0) {
			System.err.println("usage: BenchUpstream PORT[:mode=ok&delay=20ms&chunks=8&chunkInterval=5ms] ...");
			System.exit(2);
		}
		List<BenchUpstream> upstreams = new ArrayList<>();
		for (String arg : args) {
			String[] parts = arg.split(":", 2);
			Map<String, String> parameters = new LinkedHashMap<>();
			if (parts.length > 1) {
				new QueryStringDecoder("?" + parts[1]).parameters()
					.forEach((name, values) -> parameters.put(name, values.get(values.size() - 1)));
			}
			BenchUpstream upstream = start(Integer.parseInt(parts[0]), Behaviour.ok().with(parameters));
			upstreams.add(upstream);
			System.out.println("bench upstream on " + upstream.baseUrl() + ": " + upstream.behaviour());
		}
		CountDownLatch forever = new CountDownLatch(1);
		Runtime.getRuntime().addShutdownHook(new Thread(() -> upstreams.forEach(BenchUpstream::close)));
		forever.await();
	}

}
