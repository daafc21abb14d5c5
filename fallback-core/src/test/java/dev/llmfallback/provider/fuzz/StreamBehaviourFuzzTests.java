package dev.llmfallback.provider.fuzz;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;

import dev.llmfallback.ChatChunk;
import dev.llmfallback.ErrorCategory;
import dev.llmfallback.provider.StubServer.Reply;
import dev.llmfallback.provider.fuzz.Fuzz.Outcome;
import dev.llmfallback.provider.fuzz.Fuzz.Weight;
import dev.llmfallback.provider.fuzz.WireFormat.Frame;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import reactor.core.publisher.Flux;

/**
 * Property-based fuzzing of how streams and bodies end, over real HTTP on loopback, for all six
 * adapters: bodies and single lines beyond max-response-bytes (finite, endless, gzip bombs),
 * streams that never send their terminal marker (closed, cut, silent, or kept alive forever),
 * endless streams of text, and random mixtures of valid and invalid events.
 *
 * <p>Silence and keep-alives are bounded the way a caller is protected in production: through a
 * {@code FallbackEngine} with short first-token and idle timeouts ({@link Fuzz}). A stream that
 * keeps sending text is legitimately unbounded; the caller bounds it, and cancelling must close the
 * connection.
 */
@AddLifecycleHook(Fuzz.Budget.class)
class StreamBehaviourFuzzTests {

	/** What the server may have handed to the socket after the client stopped reading an endless body. */
	private static final long MAX_WRITTEN_AFTER_LIMIT = 32L * 1024 * 1024;

	// --- oversized answers ---

	enum Oversize {

		/** A plain answer whose JSON is larger than the bound. */
		CHAT_BODY,
		/** A plain answer that never ends. */
		CHAT_ENDLESS,
		/** A gzip-compressed plain answer that inflates beyond the bound. */
		CHAT_GZIP_BOMB,
		/** One stream line longer than the bound, ended by a newline. */
		STREAM_LINE,
		/** One stream line that never ends. */
		STREAM_ENDLESS_LINE,
		/** An SSE event of endless data lines, each short, never ended by a blank line. */
		STREAM_ENDLESS_EVENT,
		/** A gzip-compressed stream line that inflates beyond the bound. */
		STREAM_GZIP_BOMB

	}

	@Property(tries = 30)
	@Weight(0.05)
	void oversizedAnswersFailFastAndStopReading(@ForAll Oversize kind,
			@ForAll @DoubleRange(min = 1.01, max = 40) double factor, @ForAll @IntRange(min = 512, max = 65536) int pieceSize) {
		int size = (int) (Fuzz.MAX_RESPONSE_BYTES * factor);
		for (WireFormat format : WireFormat.values()) {
			if (kind == Oversize.STREAM_ENDLESS_EVENT && format.ndjson()) {
				continue;
			}
			String prefix = format.ndjson() ? "" : "data: ";
			Reply reply = switch (kind) {
				case CHAT_BODY -> Reply.bytes(200, "application/json",
						AnswerContentFuzzTests.pieces(("{\"pad\":\"" + "x".repeat(size) + "\"}").getBytes(StandardCharsets.UTF_8), pieceSize));
				case CHAT_ENDLESS -> Reply.generated(200, "application/json", endless("{\"pad\":\"", "x", pieceSize));
				case CHAT_GZIP_BOMB -> Reply.bytes(200, "application/json", List.of(gzip("{\"pad\":\"", 'x', size, "\"}")))
					.header("Content-Encoding", "gzip");
				case STREAM_LINE -> Reply.bytes(200, format.streamContentType(),
						AnswerContentFuzzTests.pieces((prefix + "x".repeat(size) + "\n\n").getBytes(StandardCharsets.UTF_8), pieceSize));
				case STREAM_ENDLESS_LINE -> Reply.generated(200, format.streamContentType(), endless(prefix, "x", pieceSize));
				case STREAM_ENDLESS_EVENT -> Reply.generated(200, format.streamContentType(), endless("", "data: xxxxxxxx\n", pieceSize));
				case STREAM_GZIP_BOMB -> Reply.bytes(200, format.streamContentType(), List.of(gzip(prefix, 'x', size, "\n\n")))
					.header("Content-Encoding", "gzip");
			};
			boolean chat = kind.name().startsWith("CHAT");
			String what = format + " " + kind + " of " + size + " bytes";
			Outcome outcome = chat ? Fuzz.chat(format, reply) : Fuzz.stream(format, reply);
			outcome.expectFailure(what, ErrorCategory.INVALID_RESPONSE);
			if (outcome.millis() > 5000) {
				throw new AssertionError(what + ": took " + outcome.millis() + " ms to fail");
			}
			awaitEnd(reply, what);
			Fuzz.Stats.max("bytesWritten", reply.written());
			if (reply.written() > MAX_WRITTEN_AFTER_LIMIT) {
				throw new AssertionError(what + ": the server could write " + reply.written()
						+ " bytes although the client's bound is " + Fuzz.MAX_RESPONSE_BYTES);
			}
		}
	}

	private static Flux<byte[]> endless(String head, String unit, int pieceSize) {
		byte[] piece = unit.repeat(Math.max(1, pieceSize / unit.length())).getBytes(StandardCharsets.UTF_8);
		return Flux.concat(Flux.just(head.getBytes(StandardCharsets.UTF_8)), Flux.<byte[]>generate((sink) -> sink.next(piece)));
	}

	private static byte[] gzip(String head, char fill, int size, String tail) {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		try (GZIPOutputStream gzip = new GZIPOutputStream(bytes)) {
			gzip.write(head.getBytes(StandardCharsets.UTF_8));
			byte[] block = new byte[8192];
			Arrays.fill(block, (byte) fill);
			for (int written = 0; written < size; written += block.length) {
				gzip.write(block, 0, Math.min(block.length, size - written));
			}
			gzip.write(tail.getBytes(StandardCharsets.UTF_8));
		}
		catch (java.io.IOException ex) {
			throw new IllegalStateException(ex);
		}
		return bytes.toByteArray();
	}

	/** The server's body ended: written completely, or abandoned by the client that closed the connection. */
	private static void awaitEnd(Reply reply, String what) {
		try {
			reply.ended().get(5, TimeUnit.SECONDS);
		}
		catch (Exception ex) {
			throw new AssertionError(what + ": the client kept the connection open and reading (" + reply.written()
					+ " bytes written)", ex);
		}
	}

	// --- streams without their terminal marker ---

	enum Ending {

		/** The body ends normally, the terminal marker missing. */
		CLOSED,
		/** The connection is cut in the middle of the body. */
		CUT,
		/** Nothing more is sent, the body stays open. */
		SILENT,
		/** Only keep-alives (SSE comments, Anthropic pings, blank NDJSON lines) follow, forever. */
		KEEP_ALIVE_FOREVER

	}

	@Property(tries = 24)
	@Weight(0.05)
	void streamsWithoutTheirTerminalMarkerEndClassified(@ForAll Ending ending, @ForAll("texts") List<String> texts,
			@ForAll boolean plainCall, @ForAll @IntRange(min = 5, max = 60) int keepAliveMillis) {
		Map<WireFormat, Reply> replies = new EnumMap<>(WireFormat.class);
		Map<WireFormat, Outcome.Pending> calls = new EnumMap<>(WireFormat.class);
		boolean chat = plainCall && (ending == Ending.SILENT || ending == Ending.KEEP_ALIVE_FOREVER);
		for (WireFormat format : WireFormat.values()) {
			byte[] head = format.render(format.stream(texts, false)).getBytes(StandardCharsets.UTF_8);
			byte[] chatHead = format.chatAnswer().substring(0, format.chatAnswer().length() / 2).getBytes(StandardCharsets.UTF_8);
			byte[] keepAlive = (chat ? " " : format.keepAlive()).getBytes(StandardCharsets.UTF_8);
			String contentType = chat ? "application/json" : format.streamContentType();
			Flux<byte[]> body = Flux.just(chat ? chatHead : head);
			Reply reply = switch (ending) {
				case CLOSED -> Reply.generated(200, contentType, body);
				case CUT -> Reply.cutOff(contentType, new String(head, StandardCharsets.UTF_8));
				case SILENT -> Reply.generated(200, contentType, body.concatWith(Flux.never()));
				case KEEP_ALIVE_FOREVER -> Reply.generated(200, contentType,
						body.concatWith(Flux.interval(Duration.ofMillis(keepAliveMillis)).map((tick) -> keepAlive)));
			};
			replies.put(format, reply);
			Fuzz.server(format).clear();
			Fuzz.server(format).enqueue(reply);
			Flux<String> call = switch (ending) {
				case CLOSED, CUT -> Fuzz.provider(format).stream(Fuzz.request()).map((chunk) -> chunk.delta());
				case SILENT, KEEP_ALIVE_FOREVER -> chat ? Fuzz.engineChat(format).map((response) -> response.content()).flux()
						: Fuzz.engineStream(format).map(ChatChunk::delta);
			};
			calls.put(format, Outcome.start(call));
		}
		for (WireFormat format : WireFormat.values()) {
			String what = format + " " + (chat ? "plain call" : "stream") + " " + ending + " after " + texts.size() + " text events";
			Outcome outcome = calls.get(format).get();
			ErrorCategory expected = (ending == Ending.CLOSED || ending == Ending.CUT) ? ErrorCategory.INVALID_RESPONSE
					: ErrorCategory.TIMEOUT;
			outcome.expectFailure(what, expected);
			if (expected == ErrorCategory.TIMEOUT && outcome.millis() > 3000) {
				throw new AssertionError(what + ": took " + outcome.millis() + " ms to time out");
			}
			if (ending != Ending.CUT) {
				awaitEnd(replies.get(format), what);
			}
		}
	}

	// --- endless text ---

	@Property(tries = 10)
	@Weight(0.05)
	void endlessTextStreamsAreBoundedByTheCallerAndReleaseTheConnection(@ForAll @IntRange(min = 1, max = 40) int take,
			@ForAll @IntRange(min = 0, max = 3) int everyMillis) {
		Map<WireFormat, Reply> replies = new EnumMap<>(WireFormat.class);
		Map<WireFormat, Outcome.Pending> calls = new EnumMap<>(WireFormat.class);
		for (WireFormat format : WireFormat.values()) {
			byte[] head = format.render(format.preamble()).getBytes(StandardCharsets.UTF_8);
			byte[] piece = format.render(format.text("tok ")).getBytes(StandardCharsets.UTF_8);
			Flux<byte[]> chunks = (everyMillis == 0) ? Flux.<byte[]>generate((sink) -> sink.next(piece))
					: Flux.interval(Duration.ofMillis(everyMillis)).map((tick) -> piece);
			Reply reply = Reply.generated(200, format.streamContentType(), Flux.just(head).concatWith(chunks));
			replies.put(format, reply);
			Fuzz.server(format).clear();
			Fuzz.server(format).enqueue(reply);
			calls.put(format, Outcome.start(Fuzz.patientEngineStream(format).map(ChatChunk::delta).take(take)));
		}
		for (WireFormat format : WireFormat.values()) {
			String what = format + " endless text, caller takes " + take;
			Outcome outcome = calls.get(format).get().expectSuccessOr(what);
			if (!outcome.text().equals("tok ".repeat(take))) {
				throw new AssertionError(what + ": got '" + outcome.text() + "'");
			}
			awaitEnd(replies.get(format), what);
			Fuzz.Stats.max("bytesWritten", replies.get(format).written());
		}
	}

	// --- mixtures of valid and invalid events ---

	/** One generated piece of a stream. */
	record Item(Kind kind, String text) {

		enum Kind {

			TEXT, TEXT_SPLIT_OVER_DATA_LINES, MALFORMED, INVALID_UTF8, UNKNOWN_EVENT, COMMENT, EMPTY_DATA, NO_COLON,
			RETRY_AND_ID, BLANK_LINES

		}

	}

	@Property(tries = 600)
	void mixturesOfValidAndInvalidEventsEndAsTheirFirstFault(@ForAll("formats") WireFormat format,
			@ForAll @Size(max = 12) List<@From("items") Item> items, @ForAll boolean terminal,
			@ForAll boolean crlf, @ForAll boolean trailingGarbage, @ForAll @IntRange(min = 1, max = 97) int pieceSize) {
		String nl = crlf ? "\r\n" : "\n";
		ByteArrayOutputStream body = new ByteArrayOutputStream();
		StringBuilder expected = new StringBuilder();
		boolean faulty = false;
		write(body, format.render(format.preamble()).replace("\n", nl));
		for (Item item : items) {
			switch (item.kind()) {
				case TEXT -> {
					write(body, format.render(format.text(item.text()), nl));
					if (!faulty) {
						expected.append(item.text());
					}
				}
				case TEXT_SPLIT_OVER_DATA_LINES -> {
					Frame frame = format.text(item.text());
					if (format.ndjson()) {
						write(body, format.render(frame, nl));
					}
					else {
						// One event's JSON over two data lines, joined by a newline (JSON whitespace).
						int cut = frame.data().indexOf(',') + 1;
						write(body, ((frame.event() != null) ? "event: " + frame.event() + nl : "") + "data: "
								+ frame.data().substring(0, cut) + nl + "data:" + frame.data().substring(cut) + nl + nl);
					}
					if (!faulty) {
						expected.append(item.text());
					}
				}
				case MALFORMED -> {
					write(body, format.render(new Frame(null, "{" + item.text()), nl));
					faulty = true;
				}
				case INVALID_UTF8 -> {
					write(body, format.ndjson() ? "{\"model\":\"" : "data: {\"x\":\"");
					body.writeBytes(new byte[] { (byte) 0xC3, (byte) 0x28, (byte) 0xFF, (byte) 0xFE, (byte) 0xED, (byte) 0xA0, (byte) 0x80 });
					// The line is read with replacement characters: the event stays valid JSON.
					write(body, "\"}" + nl + (format.ndjson() ? "" : nl));
				}
				case UNKNOWN_EVENT -> write(body, format.render(new Frame(format.ndjson() ? null : "fuzz_" + item.text().length(),
						"{\"type\":\"fuzz_unknown\",\"fuzz\":" + WireFormat.quote(item.text()) + "}"), nl));
				case COMMENT -> write(body, format.ndjson() ? nl : ": " + item.text().replace("\n", " ") + nl + nl);
				case EMPTY_DATA -> write(body, format.ndjson() ? "   " + nl : "data:" + nl + nl);
				case NO_COLON -> write(body, format.ndjson() ? nl : "fuzzfield" + nl + nl);
				case RETRY_AND_ID -> write(body, format.ndjson() ? nl : "retry: 1000" + nl + "id: 7" + nl + nl);
				case BLANK_LINES -> write(body, nl + nl + nl);
			}
		}
		format.epilogue().forEach((frame) -> write(body, format.render(frame, nl)));
		if (terminal) {
			write(body, format.render(format.terminal(), nl));
			if (trailingGarbage) {
				write(body, "data: {garbage" + nl + nl + "\u0000\u0001" + nl);
			}
		}
		Outcome outcome = Fuzz.stream(format,
				Reply.bytes(200, format.streamContentType(), AnswerContentFuzzTests.pieces(body.toByteArray(), pieceSize)));
		String what = format + " stream of " + items + (terminal ? " + terminal" : "");
		if (faulty || !terminal) {
			outcome.expectFailure(what, ErrorCategory.INVALID_RESPONSE);
		}
		else {
			outcome.expectSuccessOr(what);
			if (!outcome.succeeded() || !expected.toString().equals(outcome.text())) {
				throw new AssertionError(what + ": got " + outcome.label() + " '" + outcome.text() + "' instead of '" + expected + "'",
						outcome.error());
			}
		}
	}

	private static void write(ByteArrayOutputStream body, String text) {
		body.writeBytes(text.getBytes(StandardCharsets.UTF_8));
	}

	@Provide
	Arbitrary<Item> items() {
		Arbitrary<String> text = Arbitraries.strings()
			.withCharRange(' ', '~')
			.withChars("\u00e9\u2713\u4e2d\"\\")
			.ofMinLength(1)
			.ofMaxLength(10);
		return Arbitraries.frequencyOf(
				net.jqwik.api.Tuple.of(5, text.map((t) -> new Item(Item.Kind.TEXT, t))),
				net.jqwik.api.Tuple.of(2, text.map((t) -> new Item(Item.Kind.TEXT_SPLIT_OVER_DATA_LINES, t))),
				net.jqwik.api.Tuple.of(1, Arbitraries.strings().alpha().ofMaxLength(8).map((t) -> new Item(Item.Kind.MALFORMED, t))),
				net.jqwik.api.Tuple.of(1, Arbitraries.just(new Item(Item.Kind.INVALID_UTF8, ""))),
				net.jqwik.api.Tuple.of(2, text.map((t) -> new Item(Item.Kind.UNKNOWN_EVENT, t))),
				net.jqwik.api.Tuple.of(2, text.map((t) -> new Item(Item.Kind.COMMENT, t))),
				net.jqwik.api.Tuple.of(1, Arbitraries.just(new Item(Item.Kind.EMPTY_DATA, ""))),
				net.jqwik.api.Tuple.of(1, Arbitraries.just(new Item(Item.Kind.NO_COLON, ""))),
				net.jqwik.api.Tuple.of(1, Arbitraries.just(new Item(Item.Kind.RETRY_AND_ID, ""))),
				net.jqwik.api.Tuple.of(1, Arbitraries.just(new Item(Item.Kind.BLANK_LINES, ""))));
	}

	@Provide
	Arbitrary<WireFormat> formats() {
		return Arbitraries.of(WireFormat.class);
	}

	@Provide
	Arbitrary<List<String>> texts() {
		return Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(8).list().ofMaxSize(4);
	}

}
