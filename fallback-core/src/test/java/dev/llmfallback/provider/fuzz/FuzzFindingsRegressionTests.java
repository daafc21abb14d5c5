package dev.llmfallback.provider.fuzz;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import dev.llmfallback.ErrorCategory;
import dev.llmfallback.provider.StubServer.Reply;
import io.netty.util.IllegalReferenceCountException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Regression tests for the bugs the fuzz tests found, each case as it was found (see
 * docs/RELIABILITY.md).
 */
class FuzzFindingsRegressionTests {

	/** Held, so the logger that carries the handler is not collected. */
	private final Logger netty = Logger.getLogger("io.netty");

	private final List<Throwable> nettyErrors = new CopyOnWriteArrayList<>();

	private final Handler handler = new Handler() {

		@Override
		public void publish(LogRecord record) {
			for (Throwable cause = record.getThrown(); cause != null; cause = cause.getCause()) {
				if (cause instanceof IllegalReferenceCountException) {
					FuzzFindingsRegressionTests.this.nettyErrors.add(record.getThrown());
					return;
				}
			}
		}

		@Override
		public void flush() {
		}

		@Override
		public void close() {
		}

	};

	@BeforeEach
	void listen() {
		this.netty.addHandler(this.handler);
	}

	@AfterEach
	void stopListening() {
		this.netty.removeHandler(this.handler);
	}

	/**
	 * A stream line longer than max-response-bytes failed the call correctly, but the network
	 * buffer that crossed the limit was released twice (Spring's line decoder and the WebClient's
	 * discard hook), which Netty reported on the event loop as an
	 * {@link IllegalReferenceCountException}. A pooled buffer released twice can be handed to
	 * another connection while still in use.
	 */
	@Test
	void aStreamLineLongerThanTheBoundFailsWithoutReleasingABufferTwice() throws InterruptedException {
		for (WireFormat format : WireFormat.values()) {
			String prefix = format.ndjson() ? "" : "data: ";
			for (int i = 0; i < 5; i++) {
				Fuzz.stream(format, Reply.body(200, format.streamContentType(), prefix + "x".repeat(4 * Fuzz.MAX_RESPONSE_BYTES)))
					.expectFailure(format + " stream", ErrorCategory.INVALID_RESPONSE);
			}
		}
		Thread.sleep(200);
		assertThat(this.nettyErrors).as("buffers released twice").isEmpty();
	}

	/** An SSE event of endless short data lines, never ended by a blank line, grew without bound. */
	@Test
	void anSseEventOfEndlessDataLinesFailsAtTheBound() {
		for (WireFormat format : WireFormat.values()) {
			if (format.ndjson()) {
				continue;
			}
			Reply reply = Reply.generated(200, format.streamContentType(),
					Flux.<byte[]>generate((sink) -> sink.next("data: xxxxxxxxxxxxxxxx\n".getBytes(StandardCharsets.UTF_8))));
			Fuzz.stream(format, reply).expectFailure(format + " stream", ErrorCategory.INVALID_RESPONSE);
		}
	}

	/** {@code "content": true} was read as the answer "true"; an object as an empty answer. */
	@Test
	void textOfTheWrongJsonTypeIsInvalidResponse() {
		Fuzz.chat(WireFormat.OPENAI, Reply.json(200, WireFormat.OPENAI.chatAnswer().replace(WireFormat.quote(WireFormat.TEXT), "true")))
			.expectFailure("openai chat", ErrorCategory.INVALID_RESPONSE);
		for (WireFormat format : WireFormat.values()) {
			String answer = format.chatAnswer().replace(WireFormat.quote(WireFormat.TEXT), "{\"text\":1}");
			Fuzz.chat(format, Reply.json(200, answer)).expectFailure(format + " chat", ErrorCategory.INVALID_RESPONSE);
			List<WireFormat.Frame> frames = new ArrayList<>(format.preamble());
			WireFormat.Frame text = format.text("x");
			frames.add(new WireFormat.Frame(text.event(), text.data().replace(WireFormat.quote("x"), "42")));
			frames.add(format.terminal());
			Fuzz.stream(format, Reply.body(200, format.streamContentType(), format.render(frames)))
				.expectFailure(format + " stream", ErrorCategory.INVALID_RESPONSE);
		}
	}

	/**
	 * An error answer with a malformed Content-Type (or an unknown charset) failed while reading
	 * its body, so a 429 became {@code invalid_response} instead of {@code rate_limit}.
	 */
	@Test
	void anErrorWithAMalformedContentTypeIsClassifiedByItsStatus() {
		for (WireFormat format : WireFormat.values()) {
			for (String contentType : List.of("garbage", "application/json; charset=no-such-charset")) {
				Fuzz.chat(format, Reply.body(429, contentType, "slow down"))
					.expectFailure(format + " chat " + contentType, ErrorCategory.RATE_LIMIT);
				Fuzz.stream(format, Reply.body(503, contentType, "busy"))
					.expectFailure(format + " stream " + contentType, ErrorCategory.SERVICE_UNAVAILABLE);
			}
		}
	}

}
