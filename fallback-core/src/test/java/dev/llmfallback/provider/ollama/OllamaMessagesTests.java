package dev.llmfallback.provider.ollama;

import java.util.List;

import dev.llmfallback.Usage;
import dev.llmfallback.provider.ProviderChunk;
import dev.llmfallback.provider.ProviderResponse;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

import static dev.llmfallback.provider.MessageFixtures.conversation;
import static dev.llmfallback.provider.MessageFixtures.decode;
import static dev.llmfallback.provider.MessageFixtures.json;
import static org.assertj.core.api.Assertions.assertThat;

/** {@link OllamaMessages} against fixture JSON, without a server. */
class OllamaMessagesTests {

	private final OllamaMessages ollama = new OllamaMessages();

	@Test
	void bodyOfAConversationSaysWhetherToStream() {
		// Ollama streams unless told not to; sampling and extras go into options.
		ObjectNode expected = (ObjectNode) json(getClass(), "request.json");
		assertThat(this.ollama.body(conversation("llama3.2"), false)).isEqualTo(expected);
		expected.put("stream", true);
		assertThat(this.ollama.body(conversation("llama3.2"), true)).isEqualTo(expected);
	}

	@Test
	void answer() {
		ProviderResponse response = this.ollama.response("p", json(getClass(), "answer.json"));
		assertThat(response).isEqualTo(new ProviderResponse("Hello! How are you today?", "stop", "llama3.2",
				new Usage(26, 298, 324)));
	}

	@Test
	void streamEndsWithTheDoneLine() {
		List<ProviderChunk> chunks = decode(this.ollama.decoder(conversation("llama3.2"), "p", null), getClass(),
				"stream.jsonl");
		assertThat(chunks).containsExactly(ProviderChunk.text("The"), ProviderChunk.text(" sky ☀"),
				new ProviderChunk("", "length", "llama3.2", new Usage(26, 282, 308)));
	}

}
