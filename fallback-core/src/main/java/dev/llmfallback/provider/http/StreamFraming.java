package dev.llmfallback.provider.http;

import java.nio.charset.StandardCharsets;
import java.util.List;

import reactor.core.publisher.Flux;

import org.springframework.core.ResolvableType;
import org.springframework.core.codec.StringDecoder;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.util.MimeType;

/**
 * How a streamed answer is framed: Server-Sent Events (OpenAI, Anthropic, Gemini, Cohere) or
 * newline-delimited JSON (Ollama). Both are read line by line with a bounded line length, so a
 * peer that never sends a newline cannot exhaust memory.
 */
public enum StreamFraming {

	/** {@code text/event-stream}: {@code event:} and {@code data:} lines, a blank line ends an event. */
	SSE,

	/** {@code application/x-ndjson}: one JSON value per line. */
	NDJSON;

	private static final MimeType UTF8_TEXT = new MimeType("text", "plain", StandardCharsets.UTF_8);

	private static final ResolvableType STRING = ResolvableType.forClass(String.class);

	/**
	 * Splits a body into events.
	 * @param body the body's buffers
	 * @param maxLineBytes the longest line allowed; a longer one fails with a
	 * {@link org.springframework.core.io.buffer.DataBufferLimitException}
	 * @return the events
	 */
	public Flux<StreamEvent> events(Flux<DataBuffer> body, int maxLineBytes) {
		StringDecoder decoder = StringDecoder.allMimeTypes(List.of("\r\n", "\n"), true);
		decoder.setMaxInMemorySize(maxLineBytes);
		Flux<String> lines = decoder.decode(body, STRING, UTF8_TEXT, null);
		return (this == SSE) ? sse(lines) : lines.filter((line) -> !line.isBlank()).map((line) -> new StreamEvent(null, line));
	}

	private static Flux<StreamEvent> sse(Flux<String> lines) {
		return Flux.defer(() -> {
			SseAccumulator accumulator = new SseAccumulator();
			return lines.<StreamEvent>handle((line, sink) -> {
				StreamEvent event = accumulator.line(line);
				if (event != null) {
					sink.next(event);
				}
			}).concatWith(Flux.defer(() -> {
				// The last event may lack its blank line when the body ends; the adapters'
				// terminal-marker checks decide whether the stream was complete.
				StreamEvent last = accumulator.flush();
				return (last != null) ? Flux.just(last) : Flux.empty();
			}));
		});
	}

	/** Collects the lines of one server-sent event. */
	private static final class SseAccumulator {

		private String event;

		private StringBuilder data;

		StreamEvent line(String line) {
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
				if (this.data == null) {
					this.data = new StringBuilder(value);
				}
				else {
					this.data.append('\n').append(value);
				}
			}
			else if ("event".equals(field)) {
				this.event = value;
			}
			return null;
		}

		StreamEvent flush() {
			StreamEvent result = (this.data != null) ? new StreamEvent(this.event, this.data.toString()) : null;
			this.event = null;
			this.data = null;
			return result;
		}

	}

}
