package dev.llmfallback.provider.fuzz;

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

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Regression test for the first bug the fuzz tests found: a stream line longer than
 * max-response-bytes failed the call correctly, but the network buffer that crossed the limit was
 * released twice (Spring's line decoder and the WebClient's discard hook), which Netty reported
 * on the event loop as an {@link IllegalReferenceCountException}. A pooled buffer released twice
 * can be handed to another connection while still in use.
 */
class OverlongLineRegressionTests {

	/** Held, so the logger that carries the handler is not collected. */
	private final Logger netty = Logger.getLogger("io.netty");

	private final List<Throwable> nettyErrors = new CopyOnWriteArrayList<>();

	private final Handler handler = new Handler() {

		@Override
		public void publish(LogRecord record) {
			for (Throwable cause = record.getThrown(); cause != null; cause = cause.getCause()) {
				if (cause instanceof IllegalReferenceCountException) {
					OverlongLineRegressionTests.this.nettyErrors.add(record.getThrown());
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

}
