package dev.llmfallback.provider.http;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.buffer.UnpooledHeapByteBuf;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.core.io.buffer.NettyDataBufferFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link StreamFraming} on reference-counted buffers: every buffer released exactly once, lines and
 * SSE events bounded. Regression tests for what the adapter fuzz tests found.
 */
class StreamFramingTests {

	private final NettyDataBufferFactory factory = new NettyDataBufferFactory(UnpooledByteBufAllocator.DEFAULT);

	private final List<CountingBuf> buffers = new ArrayList<>();

	@Test
	void aLineLongerThanTheBoundReleasesEveryBufferExactlyOnce() {
		// Found by fuzzing: with Spring's StringDecoder the buffer that crossed the limit was
		// released twice (IllegalReferenceCountException on the event loop, a pooled buffer freed
		// while still in use).
		assertFailsOverTheBound("data: " + "x".repeat(300), "x".repeat(300), "x".repeat(600) + "\n\n");
	}

	@Test
	void aLineLongerThanTheBoundWithinOneReadFailsToo() {
		assertFailsOverTheBound("data: {}\n\n" + "x".repeat(1025) + "\n\n");
	}

	/** Each framing, reading these reads with a 1,024-byte bound, fails and releases every buffer once. */
	private void assertFailsOverTheBound(String... reads) {
		for (StreamFraming framing : StreamFraming.values()) {
			this.buffers.clear();
			Flux<DataBuffer> body = Flux.just(reads).map(this::buffer);
			// The way WebClient consumes a body: whatever an operator drops is released by a
			// discard hook downstream.
			StepVerifier.create(framing.events(body, 1024).doOnDiscard(DataBuffer.class, DataBufferUtils::release))
				.expectError(DataBufferLimitException.class)
				.verify(Duration.ofSeconds(5));
			assertReleasedOnce();
		}
	}

	@Test
	void aStreamCancelledMidwayReleasesWhatItRead() {
		for (StreamFraming framing : StreamFraming.values()) {
			this.buffers.clear();
			String line = framing == StreamFraming.SSE ? "data: {\"a\":1}\n\n" : "{\"a\":1}\n";
			Flux<DataBuffer> body = Flux.range(0, 10).map((i) -> buffer(line));
			StepVerifier.create(framing.events(body, 1024), 2).expectNextCount(2).thenCancel().verify(Duration.ofSeconds(5));
			this.buffers.forEach((buffer) -> assertThat(buffer.illegalReleases.get()).isZero());
		}
	}

	@Test
	void anSseEventOfEndlessDataLinesIsBounded() {
		// Found by fuzzing: each data line was within the bound, but an event never ended by a blank
		// line accumulated them without limit.
		Flux<DataBuffer> body = Flux.range(0, 100_000).map((i) -> buffer("data: " + "x".repeat(100) + "\n"));
		StepVerifier.create(StreamFraming.SSE.events(body, 64 * 1024))
			.expectError(DataBufferLimitException.class)
			.verify(Duration.ofSeconds(5));
		assertReleasedOnce();
		assertThat(this.buffers.size()).as("buffers read before failing").isLessThan(1000);
	}

	@Test
	void linesSplitAnywhereAreJoinedAndDecoded() {
		String stream = "event: a\r\ndata: {\"t\":\"h\u00e9\u2713\ud83d\ude00\"}\r\n\r\n: comment\n\ndata: [DONE]";
		byte[] bytes = stream.getBytes(StandardCharsets.UTF_8);
		for (int size = 1; size <= bytes.length; size++) {
			List<byte[]> pieces = new ArrayList<>();
			for (int i = 0; i < bytes.length; i += size) {
				pieces.add(java.util.Arrays.copyOfRange(bytes, i, Math.min(bytes.length, i + size)));
			}
			this.buffers.clear();
			List<StreamEvent> events = StreamFraming.SSE.events(Flux.fromIterable(pieces).map(this::buffer), 1024)
				.collectList()
				.block(Duration.ofSeconds(5));
			assertThat(events).containsExactly(new StreamEvent("a", "{\"t\":\"h\u00e9\u2713\ud83d\ude00\"}"),
					new StreamEvent(null, "[DONE]"));
			assertReleasedOnce();
		}
	}

	@Test
	void anEventsDataLinesAreJoinedByNewlinesAndEachEventStartsAfresh() {
		String stream = "event: two\ndata: {\"a\":\ndata: 1}\n\ndata:[DONE]\n\nevent: empty\n\ndata: last\n\n";
		List<StreamEvent> events = StreamFraming.SSE.events(Flux.just(buffer(stream)), 1024)
			.collectList()
			.block(Duration.ofSeconds(5));
		// An event with no data line is no event; its name does not carry over to the next one.
		assertThat(events).containsExactly(new StreamEvent("two", "{\"a\":\n1}"), new StreamEvent(null, "[DONE]"),
				new StreamEvent(null, "last"));
		assertReleasedOnce();
	}

	private DataBuffer buffer(String text) {
		return buffer(text.getBytes(StandardCharsets.UTF_8));
	}

	private DataBuffer buffer(byte[] bytes) {
		CountingBuf buf = new CountingBuf(bytes);
		this.buffers.add(buf);
		return this.factory.wrap(buf);
	}

	private void assertReleasedOnce() {
		for (CountingBuf buffer : this.buffers) {
			assertThat(buffer.illegalReleases.get()).as("releases of an already released buffer").isZero();
			assertThat(buffer.refCnt()).as("references left (a leak)").isZero();
		}
	}

	/** A heap buffer that counts releases of an already released buffer. */
	private static final class CountingBuf extends UnpooledHeapByteBuf {

		final AtomicInteger illegalReleases = new AtomicInteger();

		CountingBuf(byte[] bytes) {
			super(UnpooledByteBufAllocator.DEFAULT, bytes.length, bytes.length);
			writeBytes(bytes);
		}

		@Override
		public boolean release() {
			return release(1);
		}

		@Override
		public boolean release(int decrement) {
			if (refCnt() < decrement) {
				this.illegalReleases.incrementAndGet();
			}
			return super.release(decrement);
		}

	}

}
