package dev.llmfallback.benchmarks.streaming;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelOption;
import io.netty.handler.codec.http.HttpHeaderNames;
import reactor.core.publisher.Mono;
import reactor.netty.ByteBufFlux;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/**
 * The measuring client of the streaming and memory benchmarks: posts chat completions (streamed or
 * not) with a Reactor Netty {@link HttpClient} whose pool holds as many connections as the
 * benchmark keeps streams open (a thousand and more), and reads Server-Sent Events as they arrive,
 * stamping each content delta with {@link System#nanoTime()} on the event loop (no copying of
 * chunks, no JSON parsing: the client must cost the same whether it reads the upstream or the
 * gateway). Counts how many streams have their headers and have not ended, and the most at once.
 */
public final class SseClient implements AutoCloseable {

	private final ConnectionProvider connections;

	private final HttpClient http;

	private final AtomicInteger open = new AtomicInteger();

	private final AtomicInteger peakOpen = new AtomicInteger();

	/**
	 * @param maxConnections connections the pool may hold (streams in flight at most)
	 * @param responseTimeout longest silence while reading one answer
	 */
	public SseClient(int maxConnections, Duration responseTimeout) {
		this(maxConnections, responseTimeout, java.util.Map.of());
	}

	/**
	 * @param maxConnections connections the pool may hold (streams in flight at most)
	 * @param responseTimeout longest silence while reading one answer
	 * @param headers headers added to every request (a peer gateway's configuration header)
	 */
	public SseClient(int maxConnections, Duration responseTimeout, java.util.Map<String, String> headers) {
		this.connections = ConnectionProvider.builder("bench-sse")
			.maxConnections(maxConnections)
			.pendingAcquireMaxCount(-1)
			.build();
		this.http = HttpClient.create(this.connections)
			.option(ChannelOption.TCP_NODELAY, true)
			.responseTimeout(responseTimeout)
			.headers((set) -> {
				set.set(HttpHeaderNames.CONTENT_TYPE, "application/json");
				headers.forEach(set::set);
			});
	}

	/**
	 * Posts a streamed chat completion and reads it to the end.
	 * @param url the chat completions URL
	 * @param body the JSON body, with {@code "stream":true}
	 * @param expectedChunks content deltas the stream should carry (sizes the timestamps)
	 * @return what arrived, never an error (a failure is recorded in the outcome)
	 */
	public Mono<StreamOutcome> stream(String url, String body, int expectedChunks) {
		return Mono.defer(() -> {
			Recorder recorder = new Recorder(expectedChunks);
			return this.http.headers((headers) -> headers.set(HttpHeaderNames.ACCEPT, "text/event-stream"))
				.post()
				.uri(url)
				.send(ByteBufFlux.fromString(Mono.just(body)))
				.response((response, content) -> {
					recorder.status = response.status().code();
					recorder.headersAt = System.nanoTime();
					opened();
					recorder.counted = true;
					return content.doOnNext(recorder::read).then();
				})
				.then(Mono.fromSupplier(() -> recorder.outcome(null)))
				.onErrorResume((failure) -> Mono.just(recorder.outcome(failure)))
				.doFinally((signal) -> {
					if (recorder.counted) {
						this.open.decrementAndGet();
					}
				});
		});
	}

	/**
	 * Posts a chat completion that is not streamed and drains the answer.
	 * @param url the chat completions URL
	 * @param body the JSON body
	 * @return the status, or -1 if the exchange failed
	 */
	public Mono<Integer> send(String url, String body) {
		return this.http.post()
			.uri(url)
			.send(ByteBufFlux.fromString(Mono.just(body)))
			.responseSingle((response, content) -> content.then(Mono.just(response.status().code())))
			.onErrorResume((failure) -> Mono.just(-1));
	}

	/** @return streams whose headers arrived and which have not ended */
	public int open() {
		return this.open.get();
	}

	/** @return the most streams open at once since the last {@link #resetPeak()} */
	public int peakOpen() {
		return this.peakOpen.get();
	}

	public void resetPeak() {
		this.peakOpen.set(this.open.get());
	}

	private void opened() {
		int now = this.open.incrementAndGet();
		this.peakOpen.accumulateAndGet(now, Math::max);
	}

	@Override
	public void close() {
		this.connections.disposeLater().block(Duration.ofSeconds(10));
	}

	/**
	 * What one stream delivered.
	 * @param status the HTTP status, 0 if none arrived
	 * @param startedAt when the request was sent (nanoTime)
	 * @param headersAt when the status line arrived (nanoTime), 0 if it did not
	 * @param contentAt when each content delta arrived (nanoTime), in order
	 * @param done whether {@code data: [DONE]} arrived
	 * @param errorEvents SSE events carrying an {@code error}
	 * @param failure why the exchange failed (connection, timeout), or {@code null}
	 */
	public record StreamOutcome(int status, long startedAt, long headersAt, long[] contentAt, boolean done,
			int errorEvents, String failure) {

		/** @return content deltas received */
		public int chunks() {
			return this.contentAt.length;
		}

		/** @return nanoseconds from sending the request to the first content delta, -1 if none came */
		public long firstTokenNanos() {
			return (this.contentAt.length > 0) ? this.contentAt[0] - this.startedAt : -1;
		}

		/** @return whether it is a 200 that ended with {@code [DONE]}, with no error event and no failure */
		public boolean complete() {
			return this.status == 200 && this.done && this.errorEvents == 0 && this.failure == null;
		}

	}

	/** Splits the body into events as bytes arrive; events are ASCII JSON, so bytes are chars. */
	private static final class Recorder {

		private final long startedAt = System.nanoTime();

		private final StringBuilder pending = new StringBuilder(512);

		private long[] contentAt;

		private int chunks;

		private int status;

		private long headersAt;

		private boolean done;

		private int errorEvents;

		private boolean counted;

		Recorder(int expectedChunks) {
			this.contentAt = new long[Math.max(1, expectedChunks)];
		}

		void read(ByteBuf buffer) {
			long now = System.nanoTime();
			this.pending.append(buffer.toString(StandardCharsets.US_ASCII));
			int end;
			while ((end = this.pending.indexOf("\n\n")) >= 0) {
				event(this.pending.substring(0, end), now);
				this.pending.delete(0, end + 2);
			}
		}

		private void event(String event, long now) {
			if (event.startsWith("data: [DONE]")) {
				this.done = true;
			}
			else if (event.startsWith("data: {\"error\"")) {
				this.errorEvents++;
			}
			else {
				int content = event.indexOf("\"content\":\"");
				// A delta with text: the final chunk's delta is empty ({}), a role chunk has no content.
				if (content >= 0 && content + 11 < event.length() && event.charAt(content + 11) != '"') {
					if (this.chunks == this.contentAt.length) {
						this.contentAt = Arrays.copyOf(this.contentAt, this.chunks * 2);
					}
					this.contentAt[this.chunks++] = now;
				}
			}
		}

		StreamOutcome outcome(Throwable failure) {
			return new StreamOutcome(this.status, this.startedAt, this.headersAt, Arrays.copyOf(this.contentAt, this.chunks),
					this.done, this.errorEvents,
					(failure != null) ? failure.getClass().getSimpleName() + ": " + failure.getMessage() : null);
		}

	}

}
