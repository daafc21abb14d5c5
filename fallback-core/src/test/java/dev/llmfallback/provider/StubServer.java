package dev.llmfallback.provider;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpHeaders;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A real HTTP server on loopback (Reactor Netty) that replays canned provider answers in order
 * and records the requests it received. Streamed answers are written piece by piece, each piece
 * flushed, so the client sees real framing across network reads.
 */
public final class StubServer implements AutoCloseable {

	private final ConcurrentLinkedQueue<Reply> replies = new ConcurrentLinkedQueue<>();

	private final BlockingQueue<Recorded> requests = new LinkedBlockingQueue<>();

	private final DisposableServer server;

	private StubServer() {
		this.server = HttpServer.create().host("127.0.0.1").port(0).handle(this::handle).bindNow(Duration.ofSeconds(10));
	}

	/** @return a started server */
	public static StubServer start() {
		return new StubServer();
	}

	/** @return {@code http://127.0.0.1:<port>} */
	public String url() {
		return "http://127.0.0.1:" + this.server.port();
	}

	/**
	 * Queues the next answer.
	 * @param reply the answer
	 * @return this server
	 */
	public StubServer enqueue(Reply reply) {
		this.replies.add(reply);
		return this;
	}

	/**
	 * The next request received, waiting up to 5 s.
	 * @return the request
	 */
	public Recorded takeRequest() {
		try {
			Recorded recorded = this.requests.poll(5, TimeUnit.SECONDS);
			if (recorded == null) {
				throw new AssertionError("no request received");
			}
			return recorded;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new AssertionError(ex);
		}
	}

	private Mono<Void> handle(HttpServerRequest request, HttpServerResponse response) {
		return request.receive().aggregate().asString(StandardCharsets.UTF_8).defaultIfEmpty("").flatMap((body) -> {
			CompletableFuture<Void> closed = new CompletableFuture<>();
			request.withConnection((connection) -> connection.onDispose(() -> closed.complete(null)));
			this.requests.add(new Recorded(request.method().name(), request.uri(), request.requestHeaders().copy(), body,
					closed));
			Reply reply = this.replies.poll();
			if (reply == null) {
				return response.status(599).sendString(Mono.just("no reply queued")).then();
			}
			return reply.write(response);
		});
	}

	/** Drops every queued answer that no request has taken. */
	public void clear() {
		this.replies.clear();
		this.requests.clear();
	}

	@Override
	public void close() {
		this.server.disposeNow(Duration.ofSeconds(5));
	}

	/**
	 * A loopback port nothing listens on.
	 * @return the port
	 */
	public static int closedPort() {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** What the server received. */
	public record Recorded(String method, String uri, HttpHeaders headers, String body, CompletableFuture<Void> closed) {

		public JsonNode json() {
			return JsonMapper.shared().readTree(this.body);
		}

		public String header(String name) {
			return this.headers.get(name);
		}

	}

	/** A canned answer. */
	public static final class Reply {

		private final int status;

		private final Map<String, String> headers = new LinkedHashMap<>();

		private final List<byte[]> pieces;

		private final Mode mode;

		private final Flux<byte[]> source;

		private final java.util.concurrent.atomic.AtomicLong written = new java.util.concurrent.atomic.AtomicLong();

		private final CompletableFuture<Void> ended = new CompletableFuture<>();

		private Reply(int status, String contentType, List<String> pieces, Mode mode) {
			this(status, contentType, mode, pieces.stream().map((piece) -> piece.getBytes(StandardCharsets.UTF_8)).toList());
		}

		private Reply(int status, String contentType, Mode mode, List<byte[]> pieces) {
			this.status = status;
			if (contentType != null) {
				this.headers.put("Content-Type", contentType);
			}
			this.pieces = pieces;
			this.mode = mode;
			this.source = null;
		}

		private Reply(int status, String contentType, Flux<byte[]> source) {
			this.status = status;
			if (contentType != null) {
				this.headers.put("Content-Type", contentType);
			}
			this.pieces = List.of();
			this.mode = Mode.COMPLETE;
			this.source = source;
		}

		/** A body of raw bytes (any bytes, e.g. invalid UTF-8), written in the given pieces. */
		public static Reply bytes(int status, String contentType, List<byte[]> pieces) {
			return new Reply(status, contentType, Mode.COMPLETE, pieces);
		}

		/**
		 * A body generated while it is written, as fast as the client reads or on a timer: the
		 * server counts the bytes it wrote ({@link #written()}) and notes when the body ended or
		 * was abandoned by the client ({@link #ended()}). An endless source never completes.
		 */
		public static Reply generated(int status, String contentType, Flux<byte[]> source) {
			return new Reply(status, contentType, source);
		}

		/** @return the bytes of body handed to the connection so far */
		public long written() {
			return this.written.get();
		}

		/** @return completes when the body was fully written or the client went away */
		public CompletableFuture<Void> ended() {
			return this.ended;
		}

		/** A JSON body. */
		public static Reply json(int status, String body) {
			return new Reply(status, "application/json", List.of(body), Mode.COMPLETE);
		}

		/** A body of any type. */
		public static Reply body(int status, String contentType, String body) {
			return new Reply(status, contentType, List.of(body), Mode.COMPLETE);
		}

		/** A status with no body at all. */
		public static Reply empty(int status, String contentType) {
			return new Reply(status, contentType, List.of(), Mode.COMPLETE);
		}

		/** A Server-Sent Events body, written in the given pieces. */
		public static Reply sse(String... pieces) {
			return new Reply(200, "text/event-stream", List.of(pieces), Mode.COMPLETE);
		}

		/** An NDJSON body, written in the given pieces. */
		public static Reply ndjson(String... pieces) {
			return new Reply(200, "application/x-ndjson", List.of(pieces), Mode.COMPLETE);
		}

		/** Headers and the given pieces, then the connection is closed in the middle of the body. */
		public static Reply cutOff(String contentType, String... pieces) {
			return new Reply(200, contentType, List.of(pieces), Mode.CUT);
		}

		/** Headers and the given pieces, then nothing more: the body never ends. */
		public static Reply stall(String contentType, String... pieces) {
			return new Reply(200, contentType, List.of(pieces), Mode.STALL);
		}

		/** Never answers (the connection stays open). */
		public static Reply hang() {
			return new Reply(200, null, List.of(), Mode.HANG);
		}

		/** Closes the connection without any answer. */
		public static Reply close() {
			return new Reply(200, null, List.of(), Mode.CLOSE);
		}

		/**
		 * A streamed body cut into pieces of the given number of bytes, so that events, lines and
		 * even UTF-8 characters straddle network reads.
		 */
		public static Reply split(String contentType, String text, int size) {
			byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
			List<byte[]> pieces = new ArrayList<>();
			for (int i = 0; i < bytes.length; i += size) {
				pieces.add(java.util.Arrays.copyOfRange(bytes, i, Math.min(bytes.length, i + size)));
			}
			return new Reply(200, contentType, Mode.COMPLETE, pieces);
		}

		public Reply header(String name, String value) {
			this.headers.put(name, value);
			return this;
		}

		Mono<Void> write(HttpServerResponse response) {
			if (this.mode == Mode.HANG) {
				return Mono.never();
			}
			if (this.mode == Mode.CLOSE) {
				return Mono.<Void>fromRunnable(() -> response.withConnection((connection) -> connection.channel().close()))
					.then(Mono.never());
			}
			response.status(this.status);
			this.headers.forEach(response::header);
			Flux<byte[]> source = (this.source != null) ? this.source : Flux.fromIterable(this.pieces);
			Flux<ByteBuf> body = source.map((piece) -> {
				this.written.addAndGet(piece.length);
				return Unpooled.wrappedBuffer(piece);
			}).doFinally((signal) -> this.ended.complete(null));
			Mono<Void> sent = response.send(body, (buffer) -> true).then();
			if (this.mode == Mode.STALL) {
				return sent.then(Mono.never());
			}
			if (this.mode == Mode.CUT) {
				return sent.then(Mono.<Void>fromRunnable(() -> response.withConnection((connection) -> connection.channel().close())))
					.then(Mono.never());
			}
			return sent;
		}

		private enum Mode {

			COMPLETE, CUT, STALL, HANG, CLOSE

		}

	}

}
