package dev.llmfallback.provider.gemini;

import java.util.List;

import dev.llmfallback.ErrorCategory;
import dev.llmfallback.LlmException;
import dev.llmfallback.Usage;
import dev.llmfallback.provider.ProviderChunk;
import dev.llmfallback.provider.ProviderResponse;
import org.junit.jupiter.api.Test;

import static dev.llmfallback.provider.MessageFixtures.conversation;
import static dev.llmfallback.provider.MessageFixtures.decode;
import static dev.llmfallback.provider.MessageFixtures.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** {@link GeminiMessages} against fixture JSON, without a server. */
class GeminiMessagesTests {

	private final GeminiMessages gemini = new GeminiMessages();

	@Test
	void bodyOfAConversation() {
		// Assistant turns are "model", system messages systemInstruction, sampling and extras generationConfig.
		assertThat(this.gemini.body(conversation("gemini-2.5-flash"), false)).isEqualTo(json(getClass(), "request.json"));
		assertThat(this.gemini.body(conversation("gemini-2.5-flash"), true)).isEqualTo(json(getClass(), "request.json"));
	}

	@Test
	void answerLeavesThoughtsOutOfTheTextAndCountsThemAsOutput() {
		ProviderResponse response = this.gemini.response("p", json(getClass(), "answer.json"));
		assertThat(response).isEqualTo(new ProviderResponse("Paris is the capital of France.", "stop",
				"gemini-2.5-flash", new Usage(7, 11, 18)));
	}

	@Test
	void blockedPromptIsContentPolicy() {
		assertThatExceptionOfType(LlmException.class)
			.isThrownBy(() -> this.gemini.response("p", json(getClass(), "blocked.json")))
			.satisfies((ex) -> assertThat(ex.category()).isEqualTo(ErrorCategory.CONTENT_POLICY))
			.withMessageContaining("SAFETY");
	}

	@Test
	void streamEndsWithTheFirstFinishReason() {
		List<ProviderChunk> chunks = decode(this.gemini.decoder(conversation("gemini"), "p", null), getClass(),
				"stream.jsonl");
		assertThat(chunks).containsExactly(ProviderChunk.text("The"), ProviderChunk.text(" sky is blue"),
				ProviderChunk.text("."), new ProviderChunk("", "stop", "gemini-2.0-flash", new Usage(8, 5, 13)));
	}

}
