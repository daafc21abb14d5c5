package dev.llmfallback.provider;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import dev.llmfallback.ChatRequest;
import dev.llmfallback.provider.http.StreamDecoder;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Fixture JSON for the per-format mapping tests ({@code XxxMessagesTests}), read from the test
 * resources beside the test class: no server, no HTTP.
 */
public final class MessageFixtures {

	private static final JsonMapper MAPPER = JsonMapper.shared();

	private MessageFixtures() {
	}

	/** The conversation every format's request fixture maps: all roles, every sampling field, an extra. */
	public static ProviderRequest conversation(String model) {
		ChatRequest chat = ChatRequest.builder()
			.system("Be brief.")
			.user("Hi")
			.assistant("Hello")
			.message(dev.llmfallback.ChatMessage.tool("42"))
			.user("Why?")
			.temperature(0.5)
			.maxTokens(100)
			.topP(0.9)
			.stop("END")
			.endUser("u-1")
			.extra("seed", 7)
			.build();
		return new ProviderRequest(model, chat);
	}

	/** @return a fixture file's text */
	public static String text(Class<?> test, String name) {
		try (InputStream in = test.getResourceAsStream(name)) {
			if (in == null) {
				throw new IllegalArgumentException("No fixture " + name + " beside " + test.getName());
			}
			return new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** @return a fixture file as JSON */
	public static JsonNode json(Class<?> test, String name) {
		return MAPPER.readTree(text(test, name));
	}

	/**
	 * Feeds a stream fixture to a decoder as the HTTP layer would, and returns what it emits, the
	 * final chunk last. One event a line: {@code {json}}, {@code event-name {json}}, or
	 * {@code [DONE]}; blank lines are skipped.
	 * @param decoder the decoder
	 * @param test the test class (the fixture lies beside it)
	 * @param name the fixture
	 * @return the chunks, the final one last; the decoder must be complete
	 */
	public static List<ProviderChunk> decode(StreamDecoder decoder, Class<?> test, String name) {
		List<ProviderChunk> chunks = new ArrayList<>();
		for (String line : text(test, name).split("\n")) {
			String event = line.strip();
			if (event.isEmpty() || decoder.isComplete()) {
				continue;
			}
			if (event.equals("[DONE]")) {
				decoder.onDoneMarker();
			}
			else if (event.startsWith("{")) {
				decoder.onEvent(null, MAPPER.readTree(event), chunks::add);
			}
			else {
				int space = event.indexOf(' ');
				decoder.onEvent(event.substring(0, space), MAPPER.readTree(event.substring(space + 1)), chunks::add);
			}
		}
		if (!decoder.isComplete()) {
			throw new AssertionError(name + " ended without its terminal marker");
		}
		ProviderChunk last = decoder.finish();
		if (last != null) {
			chunks.add(last);
		}
		return chunks;
	}

}
