package dev.llmfallback.provider.http;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DataBufferUtils;

/**
 * How a streamed answer is framed: Server-Sent Events (OpenAI, Anthropic, Gemini, Cohere) or
 * newline-delimited JSON (Ollama). Both are read line by line with a bounded line length, so a
 * peer that never sends a newline cannot exhaust memory.
 *
 * <p>Public: an adapter names its framing in its {@link HttpWireFormat}.
 */
public enum StreamFraming {

	/** {@code text/event-stream}: {@code event:} and {@code data:} lines, a blank line ends an event. */
	SSE,

	/** {@code application/x-ndjson}: one JSON value per line. */
	NDJSON;

	/**
	 * Splits a body into events.
	 *
	 * <p>Each network buffer is copied into the current line and released at once, exactly once,
	 * whatever happens next (a line too long, a cancelled or failed stream): no buffer is retained
	 * between reads, so none can leak or be released twice. A line longer than the bound, and for
	 * SSE an event whose {@code data:} lines add up to more than the bound, fail the stream.
	 * @param body the body's buffers
	 * @param maxLineBytes the longest line (and SSE event data) allowed; a longer one fails with a
	 * {@link DataBufferLimitException}
	 * @return the events
	 */
	Flux<StreamEvent> events(Flux<DataBuffer> body, int maxLineBytes) {
		return Flux.defer(() -> {
			LineReader reader = new LineReader(maxLineBytes, (this == SSE) ? new SseAccumulator(maxLineBytes) : null);
			return body.<List<StreamEvent>>handle((buffer, sink) -> {
				List<StreamEvent> events;
				try {
					events = reader.feed(buffer);
				}
				catch (DataBufferLimitException ex) {
					sink.error(ex);
					return;
				}
				finally {
					DataBufferUtils.release(buffer);
				}
				if (!events.isEmpty()) {
					sink.next(events);
				}
			})
				.concatMapIterable(Function.identity(), 1)
				// The last line may lack its newline, and the last SSE event its blank line, when the
				// body ends; the adapters' terminal-marker checks decide whether the stream was complete.
				.concatWith(Flux.defer(() -> Flux.fromIterable(reader.finish())));
		});
	}

	/**
	 * Splits bytes into UTF-8 lines ({@code \n} or {@code \r\n}), bounded in length. A line within
	 * one read is decoded from that read; only a line split across reads is carried over, so an open
	 * stream between events holds no line buffer.
	 */
	private static final class LineReader {

		private final int maxLineBytes;

		private final @Nullable SseAccumulator sse;

		/** The start of a line that the last read ended in, or {@code null}. */
		private byte @Nullable [] pending;

		/** The bytes of {@link #pending} in use; 0 while nothing is carried over. */
		private int pendingLength;

		LineReader(int maxLineBytes, @Nullable SseAccumulator sse) {
			this.maxLineBytes = maxLineBytes;
			this.sse = sse;
		}

		List<StreamEvent> feed(DataBuffer buffer) {
			byte[] bytes = new byte[buffer.readableByteCount()];
			buffer.read(bytes);
			List<StreamEvent> events = new ArrayList<>();
			int start = 0;
			for (int i = 0; i < bytes.length; i++) {
				if (bytes[i] == '\n') {
					if (this.pending == null) {
						checkLength(i - start);
						line(events, bytes, start, i);
					}
					else {
						carry(bytes, start, i - start);
						line(events, this.pending, 0, this.pendingLength);
						clearPending();
					}
					start = i + 1;
				}
			}
			if (start < bytes.length) {
				carry(bytes, start, bytes.length - start);
			}
			return events;
		}

		List<StreamEvent> finish() {
			List<StreamEvent> events = new ArrayList<>();
			if (this.pending != null) {
				line(events, this.pending, 0, this.pendingLength);
				clearPending();
			}
			if (this.sse != null) {
				StreamEvent last = this.sse.flush();
				if (last != null) {
					events.add(last);
				}
			}
			return events;
		}

		/** Adds bytes to the line carried over to the next read. */
		private void carry(byte[] bytes, int offset, int count) {
			int length = this.pendingLength;
			checkLength(length + count);
			byte[] line = this.pending;
			if (line == null) {
				line = new byte[Math.max(count, 64)];
			}
			else if (length + count > line.length) {
				line = Arrays.copyOf(line, Math.min(this.maxLineBytes, Math.max(line.length * 2, length + count)));
			}
			System.arraycopy(bytes, offset, line, length, count);
			this.pending = line;
			this.pendingLength = length + count;
		}

		private void clearPending() {
			this.pending = null;
			this.pendingLength = 0;
		}

		private void checkLength(int length) {
			if (length > this.maxLineBytes) {
				throw new DataBufferLimitException(
						"A stream line exceeds the limit of " + this.maxLineBytes + " bytes (max-response-bytes)");
			}
		}

		private void line(List<StreamEvent> events, byte[] bytes, int from, int to) {
			int end = (to > from && bytes[to - 1] == '\r') ? to - 1 : to;
			String text = new String(bytes, from, end - from, StandardCharsets.UTF_8);
			if (this.sse == null) {
				if (!text.isBlank()) {
					events.add(new StreamEvent(null, text));
				}
				return;
			}
			StreamEvent event = this.sse.line(text);
			if (event != null) {
				events.add(event);
			}
		}

	}

	/** Collects the lines of one server-sent event. */
	private static final class SseAccumulator {

		private final int maxDataBytes;

		private @Nullable String event;

		/** The event's first data line: most events have one, which then needs no builder. */
		private @Nullable String firstData;

		/** The event's data lines so far, from the second one on. */
		private @Nullable StringBuilder data;

		SseAccumulator(int maxDataBytes) {
			this.maxDataBytes = maxDataBytes;
		}

		@Nullable StreamEvent line(String line) {
			if (line.isEmpty()) {
				return flush();
			}
			if (line.startsWith(":")) {
				return null;
			}
			int colon = line.indexOf(':');
			String field = (colon >= 0) ? line.substring(0, colon) : line;
			String value = (colon >= 0) ? line.substring(colon + 1) : "";
			if (value.startsWith(" ")) {
				value = value.substring(1);
			}
			if ("data".equals(field)) {
				if (this.firstData == null) {
					this.firstData = value;
					return null;
				}
				if (this.data == null) {
					this.data = new StringBuilder(this.firstData);
				}
				// An event never ended by a blank line must not grow without bound either.
				if (this.data.length() + 1 + value.length() > this.maxDataBytes) {
					throw new DataBufferLimitException(
							"A stream event exceeds the limit of " + this.maxDataBytes + " bytes (max-response-bytes)");
				}
				this.data.append('\n').append(value);
			}
			else if ("event".equals(field)) {
				this.event = value;
			}
			return null;
		}

		@Nullable StreamEvent flush() {
			String data = (this.data != null) ? this.data.toString() : this.firstData;
			StreamEvent result = (data != null) ? new StreamEvent(this.event, data) : null;
			this.event = null;
			this.firstData = null;
			this.data = null;
			return result;
		}

	}

}
