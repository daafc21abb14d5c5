package dev.llmfallback.provider.http;

import java.time.Duration;
import java.util.List;
import java.util.function.Function;

import dev.llmfallback.ErrorCategory;
import dev.llmfallback.LlmException.ClassificationBasis;
import dev.llmfallback.LlmException;
import dev.llmfallback.provider.ProviderChunk;
import dev.llmfallback.provider.ProviderResponse;
import dev.llmfallback.scheduling.TimerWheelScheduler;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;

/**
 * Reads a streamed answer: splits it into events ({@link StreamFraming}), classifies error events,
 * hands the others to the format's {@link StreamDecoder}, handles {@code [DONE]}, the short grace
 * after the terminal marker, and a stream cut before it. An answer that is not a stream (an error
 * status, or a whole JSON answer from a server that ignored "stream") is read whole.
 */
final class EventStreamReader {

	private static final String DONE = "[DONE]";

	/** How long the rest of a body is read after a stream's terminal marker before it is cut off. */
	private static final Duration AFTER_TERMINAL_MARKER = Duration.ofMillis(250);

	private final StreamFraming framing;

	private final int maxBytes;

	private final ProviderFailures failures;

	private final AnswerReader answers;

	EventStreamReader(StreamFraming framing, int maxBytes, ProviderFailures failures, AnswerReader answers) {
		this.framing = framing;
		this.maxBytes = maxBytes;
		this.failures = failures;
		this.answers = answers;
	}

	/**
	 * Reads a streamed answer into chunks.
	 * @param response the response
	 * @param decoder the format's decoder for this stream
	 * @param wholeAnswer the format's mapping of a whole (not streamed) answer
	 * @return the chunks, the last one with finish reason and usage
	 */
	Flux<ProviderChunk> read(HttpAnswer response, StreamDecoder decoder,
			Function<JsonNode, ProviderResponse> wholeAnswer) {
		int status = response.status();
		if (status >= 300) {
			return this.answers.<ProviderChunk>error(response).flux();
		}
		HttpHeaders headers = response.headers();
		if (isWholeAnswer(headers)) {
			// Not a stream: an error in a 200, a proxy page, or a server that ignored "stream" and
			// answered the whole completion (still an answer: it is read as one chunk). Where NDJSON
			// was asked for, plain JSON may also be NDJSON under the wrong label: read as lines then.
			return this.answers.body(response).flatMapMany((body) -> (this.framing == StreamFraming.NDJSON && isNdjson(body))
					? decode(Flux.fromArray(body.split("\r?\n")).map((line) -> new StreamEvent(null, line)), decoder, status)
					: Flux.fromIterable(asChunks(wholeAnswer.apply(this.answers.parse(status, headers, body)))));
		}
		return decode(this.framing.events(response.body(), this.maxBytes), decoder, status);
	}

	/**
	 * Hands a stream's events to the decoder, up to its terminal marker.
	 */
	private Flux<ProviderChunk> decode(Flux<StreamEvent> events, StreamDecoder decoder, int status) {
		Sinks.Empty<Void> terminated = Sinks.empty();
		return events.<ProviderChunk>handle((event, sink) -> {
			String data = event.data().strip();
			if (data.isEmpty() || decoder.isComplete()) {
				return;
			}
			if (DONE.equals(data)) {
				decoder.onDoneMarker();
			}
			else {
				JsonNode node = parseEvent(status, data);
				LlmException error = this.failures.streamError(event.event(), node);
				if (error != null) {
					sink.error(error);
					return;
				}
				decoder.onEvent(event.event(), node, sink::next);
			}
			if (decoder.isComplete()) {
				terminated.tryEmitEmpty();
			}
		})
			// After the terminal marker the body normally ends at once: reading it to its end lets the
			// connection go back to the pool (cancelling would close it, and the next stream would pay a
			// new connection, a TLS handshake on a real provider). A peer that keeps the body open after
			// the marker is cut off after a short grace, timed on the wheel: a timer that almost never fires,
			// where Schedulers.parallel() would wake a thread to arm it and again to cancel it (5 % of a
			// short stream's CPU).
			.takeUntilOther(terminated.asMono().then(Mono.delay(AFTER_TERMINAL_MARKER, TimerWheelScheduler.shared())))
			.concatWith(Mono.defer(() -> {
				if (!decoder.isComplete()) {
					return Mono.error(TransportErrors.invalidResponse(this.failures.provider(), status,
							"the stream ended without its terminal marker (truncated answer)"));
				}
				return Mono.justOrEmpty(decoder.finish());
			}));
	}

	/**
	 * Whether the answer to a stream request is a whole body: JSON or an HTML page where SSE was
	 * asked for, plain JSON (not NDJSON) where NDJSON was.
	 */
	private boolean isWholeAnswer(HttpHeaders headers) {
		MediaType contentType = AnswerReader.contentType(headers);
		if (contentType == null) {
			return false;
		}
		if (this.framing == StreamFraming.SSE) {
			return AnswerReader.isJson(contentType) || contentType.isCompatibleWith(MediaType.TEXT_HTML);
		}
		return contentType.isCompatibleWith(MediaType.APPLICATION_JSON);
	}

	/**
	 * Whether a body read whole is NDJSON: more than one line, the first a JSON value of its own (a
	 * pretty-printed answer's first line is a lone brace).
	 */
	private static boolean isNdjson(String body) {
		String text = body.strip();
		int newline = text.indexOf('\n');
		if (newline < 0) {
			return false;
		}
		try {
			Json.MAPPER.readTree(text.substring(0, newline));
			return true;
		}
		catch (JacksonException ex) {
			return false;
		}
	}

	private JsonNode parseEvent(int status, String data) {
		try {
			return Json.MAPPER.readTree(data);
		}
		catch (JacksonException ex) {
			throw LlmException.builder(ErrorCategory.INVALID_RESPONSE)
				.message(this.failures.provider() + ": malformed stream event: " + ErrorBodies.textMessage(data))
				.httpStatus(status)
				.basis(ClassificationBasis.BODY)
				.provider(this.failures.provider())
				.cause(ex)
				.build();
		}
	}

	private static List<ProviderChunk> asChunks(ProviderResponse response) {
		ProviderChunk text = new ProviderChunk(response.content(), null, response.providerModel(), null);
		ProviderChunk last = new ProviderChunk("", response.finishReason(), response.providerModel(), response.usage());
		return text.delta().isEmpty() ? List.of(last) : List.of(text, last);
	}

}
