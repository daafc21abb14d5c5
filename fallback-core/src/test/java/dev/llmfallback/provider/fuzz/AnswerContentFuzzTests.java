package dev.llmfallback.provider.fuzz;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import dev.llmfallback.ErrorCategory;
import dev.llmfallback.provider.StubServer.Reply;
import dev.llmfallback.provider.fuzz.Fuzz.Outcome;
import dev.llmfallback.provider.fuzz.WireFormat.Frame;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.RandomDistribution;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Property-based fuzzing of what providers send back, over real HTTP on loopback, for all six
 * adapters, plain call and stream: random bytes, truncated and deeply nested JSON, wrong JSON
 * types in the fields the adapters read. Every case must end as a success or a classified
 * {@code LlmException}, within a hard bound; malformed content as {@code invalid_response}.
 *
 * <p>Default tries keep the suite short in every build; {@code -Dfuzz.tries=N} runs the long form
 * (see {@link Fuzz} and docs/RELIABILITY.md).
 */
@AddLifecycleHook(Fuzz.Budget.class)
class AnswerContentFuzzTests {

	private static final JsonMapper MAPPER = JsonMapper.shared();

	private static final List<String> CONTENT_TYPES = List.of("application/json", "text/event-stream",
			"application/x-ndjson", "text/plain", "application/octet-stream", "application/json; charset=utf-16",
			"text/event-stream; charset=no-such-charset", "application/json; charset=\"", "*/*", "garbage");

	// --- random bytes ---

	@Property(tries = 150)
	void randomBytesAsA200BodyAreInvalidResponse(@ForAll @Size(max = 3000) byte[] body,
			@ForAll("contentTypes") String contentType, @ForAll @IntRange(min = 1, max = 512) int pieceSize) {
		boolean json = isJsonContainer(body);
		for (WireFormat format : WireFormat.values()) {
			Outcome chat = Fuzz.chat(format, Reply.bytes(200, contentType, pieces(body, pieceSize)));
			Outcome stream = Fuzz.stream(format, Reply.bytes(200, contentType, pieces(body, pieceSize)));
			if (json) {
				chat.checked(format + " chat");
				stream.checked(format + " stream");
			}
			else {
				chat.expectFailure(format + " chat", ErrorCategory.INVALID_RESPONSE);
				stream.expectFailure(format + " stream", ErrorCategory.INVALID_RESPONSE);
			}
		}
	}

	@Property(tries = 100)
	void errorStatusesWithRandomBodiesAreClassified(@ForAll("statuses") int status,
			@ForAll("errorBodies") byte[] body, @ForAll("contentTypes") String contentType,
			@ForAll("retryAfters") String retryAfter) {
		for (WireFormat format : WireFormat.values()) {
			for (boolean streamed : new boolean[] { false, true }) {
				Reply reply = Reply.bytes(status, contentType, pieces(body, 256));
				if (retryAfter != null) {
					reply.header("Retry-After", retryAfter);
				}
				Outcome outcome = streamed ? Fuzz.stream(format, reply) : Fuzz.chat(format, reply);
				String what = format + (streamed ? " stream" : " chat") + " HTTP " + status + " Retry-After " + retryAfter;
				outcome.checked(what);
				if (outcome.succeeded()) {
					throw new AssertionError(what + ": an error status was read as an answer");
				}
				if (!looksStructured(body)) {
					// A body that says nothing (random bytes, a page too large to read) leaves the
					// status to decide, whatever the content type: as with no body at all.
					Outcome bare = streamed ? Fuzz.stream(format, Reply.empty(status, null)) : Fuzz.chat(format, Reply.empty(status, null));
					if (bare.category() != outcome.category()) {
						throw new AssertionError(what + " " + contentType + ": " + outcome.label() + " (" + outcome.error().getMessage()
								+ ") but " + bare.label() + " with no body", outcome.error());
					}
				}
			}
		}
	}

	private static boolean looksStructured(byte[] body) {
		String text = new String(body, StandardCharsets.ISO_8859_1).strip();
		return text.startsWith("{") || text.startsWith("[") || text.startsWith("<") || text.startsWith("\"")
				|| text.equals("null") || text.toLowerCase(java.util.Locale.ROOT).matches(".*(rate|quota|limit|context|token|safety|policy|auth|key|found|exist|overload|timeout).*");
	}

	@Provide
	Arbitrary<Integer> statuses() {
		return Arbitraries.oneOf(Arbitraries.of(400, 401, 402, 403, 404, 408, 409, 413, 422, 429, 500, 502, 503, 504, 529),
				Arbitraries.integers().between(300, 599).withDistribution(RandomDistribution.uniform()));
	}

	@Provide
	Arbitrary<byte[]> errorBodies() {
		Arbitrary<byte[]> json = Arbitraries.of("{\"error\":{\"message\":\"x\",\"type\":\"rate_limit_error\"}}",
				"{\"error\":{\"code\":429}}", "{\"error\":null}", "{\"error\":[1,2]}", "{\"type\":\"error\",\"error\":5}",
				"{\"message\":{\"a\":1}}", "[{\"error\":{\"code\":\"RESOURCE_EXHAUSTED\",\"status\":7}}]", "<html><title>502</title>",
				"", "null", "\"quota\"")
			.map((text) -> text.getBytes(StandardCharsets.UTF_8));
		return Arbitraries.oneOf(json, Arbitraries.bytes().array(byte[].class).ofMaxSize(2000),
				Arbitraries.just(new byte[2 * Fuzz.MAX_RESPONSE_BYTES]));
	}

	@Provide
	Arbitrary<String> retryAfters() {
		return Arbitraries.oneOf(Arbitraries.of("0", "-1", "1.5", "99999999999999999999", "Wed, 21 Oct 2015 07:28:00 GMT",
				"Fri, 31 Dec 9999 23:59:59 GMT", "soon", ""), Arbitraries.integers().map(String::valueOf))
			.injectNull(0.3);
	}

	@Provide
	Arbitrary<String> contentTypes() {
		return Arbitraries.of(CONTENT_TYPES).injectNull(0.1);
	}

	// --- truncation ---

	@Property(tries = 300)
	void truncatedAnswersAreInvalidResponse(@ForAll("formats") WireFormat format,
			@ForAll @IntRange(min = 0, max = 100_000) int cutSeed, @ForAll @IntRange(min = 1, max = 64) int pieceSize,
			@ForAll("texts") List<String> texts, @ForAll boolean pastTheTerminalMarker) {
		byte[] answer = format.chatAnswer().getBytes(StandardCharsets.UTF_8);
		int cut = cutSeed % answer.length;
		Fuzz.chat(format, Reply.bytes(200, "application/json", pieces(Arrays.copyOf(answer, cut), pieceSize)))
			.expectFailure(format + " chat cut at " + cut, ErrorCategory.INVALID_RESPONSE);

		List<Frame> frames = format.stream(texts, true);
		String full = format.render(frames);
		byte[] stream = full.getBytes(StandardCharsets.UTF_8);
		String terminal = format.terminal().data();
		int terminalEnd = full.lastIndexOf(terminal) + terminal.length();
		int terminalEndBytes = full.substring(0, terminalEnd).getBytes(StandardCharsets.UTF_8).length;
		// Half the cases cut the stream before the end of its terminal marker, half after it.
		int streamCut = pastTheTerminalMarker ? terminalEndBytes + cutSeed % (stream.length - terminalEndBytes + 1)
				: cutSeed % terminalEndBytes;
		Outcome outcome = Fuzz.stream(format,
				Reply.bytes(200, format.streamContentType(), pieces(Arrays.copyOf(stream, streamCut), pieceSize)));
		String what = format + " stream of " + stream.length + " bytes cut at " + streamCut;
		if (streamCut < terminalEndBytes) {
			outcome.expectFailure(what, ErrorCategory.INVALID_RESPONSE);
		}
		else {
			outcome.expectSuccessOr(what);
			if (!String.join("", texts).equals(outcome.text())) {
				throw new AssertionError(what + ": text '" + outcome.text() + "' instead of '" + String.join("", texts) + "'");
			}
		}
	}

	// --- deep nesting ---

	@Property(tries = 30)
	@Fuzz.Weight(0.2)
	void deeplyNestedJsonIsInvalidResponseOrRead(@ForAll("depths") int depth, @ForAll("shapes") String shape,
			@ForAll boolean inField) {
		String deep = nested(depth, shape);
		for (WireFormat format : WireFormat.values()) {
			String chatBody = inField ? replaceText(format.chatAnswer(), deep) : deep;
			Fuzz.chat(format, Reply.json(200, chatBody))
				.expectSuccessOr(format + " chat, depth " + depth + " " + shape, ErrorCategory.INVALID_RESPONSE);
			List<Frame> frames = new ArrayList<>(format.preamble());
			frames.add(inField ? new Frame(format.text("x").event(), replaceText(format.text("x").data(), deep))
					: new Frame(format.text("x").event(), deep));
			frames.add(format.terminal());
			Fuzz.stream(format, Reply.body(200, format.streamContentType(), format.render(frames)))
				.expectSuccessOr(format + " stream, depth " + depth + " " + shape, ErrorCategory.INVALID_RESPONSE);
		}
	}

	@Provide
	Arbitrary<Integer> depths() {
		return Arbitraries.oneOf(Arbitraries.integers().between(100, 20_000), Arbitraries.of(499, 500, 501, 999, 1000, 1001, 10_000));
	}

	@Provide
	Arbitrary<String> shapes() {
		return Arbitraries.of("array", "object", "mixed");
	}

	private static String nested(int depth, String shape) {
		StringBuilder open = new StringBuilder(depth * 6);
		StringBuilder close = new StringBuilder(depth);
		for (int i = 0; i < depth; i++) {
			boolean array = shape.equals("array") || (shape.equals("mixed") && i % 2 == 0);
			open.append(array ? "[" : "{\"text\":");
			close.append(array ? "]" : "}");
		}
		return open + "1" + close.reverse();
	}

	/** Puts a value where the format's answer carries its text. */
	private static String replaceText(String json, String value) {
		String text = WireFormat.quote(WireFormat.TEXT);
		String x = WireFormat.quote("x");
		return json.contains(text) ? json.replace(text, value) : json.replace(x, value);
	}

	// --- wrong JSON types ---

	@Property(tries = 600)
	void wrongJsonTypesAreInvalidResponseOrRead(@ForAll("formats") WireFormat format, @ForAll boolean streamed,
			@ForAll @IntRange(min = 0, max = 10_000) int where, @ForAll("wrongValues") JsonNode value,
			@ForAll @IntRange(min = 1, max = 3) int mutations) {
		if (!streamed) {
			JsonNode answer = MAPPER.readTree(format.chatAnswer());
			for (int i = 0; i < mutations; i++) {
				answer = mutate(answer, where * (i + 1), value);
			}
			Outcome outcome = Fuzz.chat(format, Reply.json(200, answer.toString()))
				.expectSuccessOr(format + " chat " + answer, ErrorCategory.INVALID_RESPONSE);
			expectNoInventedText(format + " chat " + answer, outcome, value, WireFormat.TEXT);
			return;
		}
		List<Frame> frames = new ArrayList<>(format.stream(List.of("Hel", "lo"), true));
		List<Integer> json = new ArrayList<>();
		for (int i = 0; i < frames.size(); i++) {
			if (frames.get(i).data().startsWith("{")) {
				json.add(i);
			}
		}
		for (int i = 0; i < mutations; i++) {
			int index = json.get((where + i) % json.size());
			Frame frame = frames.get(index);
			frames.set(index, new Frame(frame.event(), mutate(MAPPER.readTree(frame.data()), where * (i + 1), value).toString()));
		}
		Outcome outcome = Fuzz.stream(format, Reply.body(200, format.streamContentType(), format.render(frames)))
			.expectSuccessOr(format + " stream " + frames, ErrorCategory.INVALID_RESPONSE);
		expectNoInventedText(format + " stream " + frames, outcome, value, "Hel", "lo");
	}

	/**
	 * A mistyped answer that is still read must yield only text that was sent as text: the
	 * original pieces or strings inside the replacement, never a number, a boolean or JSON turned
	 * into text.
	 */
	private static void expectNoInventedText(String what, Outcome outcome, JsonNode value, String... pieces) {
		if (!outcome.succeeded()) {
			return;
		}
		List<String> strings = new ArrayList<>(List.of(pieces));
		collectStrings(value, strings);
		strings.sort((a, b) -> b.length() - a.length());
		String rest = outcome.text();
		for (String string : strings) {
			if (!string.isEmpty()) {
				rest = rest.replace(string, "");
			}
		}
		if (!rest.isEmpty()) {
			throw new AssertionError(what + ": read as text '" + outcome.text() + "', which was not sent as text");
		}
	}

	private static void collectStrings(JsonNode node, List<String> strings) {
		if (node.isString()) {
			strings.add(node.stringValue());
		}
		for (JsonNode child : node) {
			collectStrings(child, strings);
		}
	}

	@Provide
	Arbitrary<JsonNode> wrongValues() {
		JsonNodeFactory nodes = JsonNodeFactory.instance;
		Arbitrary<JsonNode> scalars = Arbitraries.oneOf(Arbitraries.just(nodes.nullNode()),
				Arbitraries.of(true, false).map(nodes::booleanNode), Arbitraries.integers().map(nodes::numberNode),
				Arbitraries.longs().map(nodes::numberNode),
				Arbitraries.bigIntegers()
					.between(new java.math.BigInteger("-1" + "0".repeat(40)), new java.math.BigInteger("1" + "0".repeat(40)))
					.map(nodes::numberNode),
				Arbitraries.of(1e308, -0.0, 1.5, Double.MIN_VALUE).map(nodes::numberNode),
				Arbitraries.strings().ofMaxLength(20).map(nodes::stringNode),
				Arbitraries.of("", "stop", "true", "[DONE]", "message_stop", "message-end", "STOP", "SAFETY", "content_filter",
						"text", "text_delta", "content-delta", "content_block_delta")
					.map(nodes::stringNode));
		return Arbitraries.recursive(() -> scalars, (inner) -> Arbitraries.oneOf(
				inner.list().ofMaxSize(3).map((items) -> {
					ArrayNode array = nodes.arrayNode();
					items.forEach(array::add);
					return (JsonNode) array;
				}), Combinators.combine(Arbitraries.of("text", "type", "content", "delta", "message", "parts", "0"), inner)
					.as((key, item) -> {
						ObjectNode object = nodes.objectNode();
						object.set(key, item);
						return (JsonNode) object;
					})), 0, 3);
	}

	/** Replaces the node at a position (in document order, the root excluded) by the value. */
	private static JsonNode mutate(JsonNode root, int where, JsonNode value) {
		JsonNode copy = root.deepCopy();
		List<Runnable> replacements = new ArrayList<>();
		collect(copy, value, replacements);
		if (!replacements.isEmpty()) {
			replacements.get(where % replacements.size()).run();
		}
		return copy;
	}

	private static void collect(JsonNode node, JsonNode value, List<Runnable> replacements) {
		if (node instanceof ObjectNode object) {
			for (String name : List.copyOf(object.propertyNames())) {
				replacements.add(() -> object.set(name, value.deepCopy()));
				collect(object.get(name), value, replacements);
			}
		}
		else if (node instanceof ArrayNode array) {
			for (int i = 0; i < array.size(); i++) {
				int index = i;
				replacements.add(() -> array.set(index, value.deepCopy()));
				collect(array.get(i), value, replacements);
			}
		}
	}

	// --- shared generators and helpers ---

	@Provide
	Arbitrary<WireFormat> formats() {
		return Arbitraries.of(WireFormat.class);
	}

	@Provide
	Arbitrary<List<String>> texts() {
		// Whole code points only: a lone surrogate is not text any provider could send.
		Arbitrary<String> piece = Arbitraries.strings()
			.withCharRange(' ', '~')
			.withChars("\u00e9\u2713\u4e2d\n\"\\")
			.ofMinLength(1)
			.ofMaxLength(12);
		return Arbitraries.oneOf(piece, piece.map((text) -> text + "\ud83d\ude00")).list().ofMaxSize(6);
	}

	static List<byte[]> pieces(byte[] body, int size) {
		List<byte[]> pieces = new ArrayList<>();
		for (int i = 0; i < body.length; i += size) {
			pieces.add(Arrays.copyOfRange(body, i, Math.min(body.length, i + size)));
		}
		return pieces;
	}

	private static boolean isJsonContainer(byte[] body) {
		try {
			JsonNode node = MAPPER.readTree(body);
			return node != null && node.isContainer();
		}
		catch (JacksonException | IllegalArgumentException ex) {
			return false;
		}
	}

}
