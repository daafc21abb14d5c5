package dev.llmfallback.provider.openai;

import java.util.List;

import dev.llmfallback.ErrorCategory;
import dev.llmfallback.LlmException;
import dev.llmfallback.Usage;
import dev.llmfallback.provider.ProviderChunk;
import dev.llmfallback.provider.ProviderResponse;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

import static dev.llmfallback.provider.MessageFixtures.conversation;
import static dev.llmfallback.provider.MessageFixtures.decode;
import static dev.llmfallback.provider.MessageFixtures.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** {@link OpenAiMessages} against fixture JSON, without a server. */
class OpenAiMessagesTests {

	private final OpenAiMessages openAi = new OpenAiMessages(true);

	@Test
	void bodyOfAConversation() {
		assertThat(this.openAi.body(conversation("gpt-4o"), false)).isEqualTo(json(getClass(), "request.json"));
	}

	@Test
	void streamedBodyAsksForUsageInTheLastChunk() {
		ObjectNode body = this.openAi.body(conversation("gpt-4o"), true);
		assertThat(body.get("stream").asBoolean()).isTrue();
		assertThat(body.get("stream_options").get("include_usage").asBoolean()).isTrue();
	}

	@Test
	void azureBodyNamesNoModel() {
		ObjectNode expected = (ObjectNode) json(getClass(), "request.json");
		expected.remove("model");
		assertThat(new OpenAiMessages(false).body(conversation("my-deployment"), false)).isEqualTo(expected);
	}

	@Test
	void answer() {
		ProviderResponse response = this.openAi.response("p", json(getClass(), "answer.json"));
		assertThat(response).isEqualTo(new ProviderResponse("Hello! How can I assist you today?", "stop",
				"gpt-4o-2024-08-06", new Usage(19, 10, 29)));
	}

	@Test
	void refusalWithoutContentIsContentPolicy() {
		assertThatExceptionOfType(LlmException.class)
			.isThrownBy(() -> this.openAi.response("p", json(getClass(), "refusal.json")))
			.satisfies((ex) -> assertThat(ex.category()).isEqualTo(ErrorCategory.CONTENT_POLICY))
			.withMessageContaining("I can't help with that.");
	}

	@Test
	void stream() {
		List<ProviderChunk> chunks = decode(this.openAi.decoder(conversation("gpt-4o"), "p", null), getClass(),
				"stream.jsonl");
		assertThat(chunks).containsExactly(ProviderChunk.text("Héllo"), ProviderChunk.text(" wörld"),
				new ProviderChunk("", "stop", "gpt-4o-mini", new Usage(9, 4, 13)));
	}

}
