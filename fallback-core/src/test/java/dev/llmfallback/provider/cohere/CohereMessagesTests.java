package dev.llmfallback.provider.cohere;

import java.util.List;

import dev.llmfallback.ErrorCategory;
import dev.llmfallback.LlmException;
import dev.llmfallback.Usage;
import dev.llmfallback.provider.ProviderChunk;
import dev.llmfallback.provider.ProviderResponse;
import dev.llmfallback.provider.http.ProviderError;
import org.junit.jupiter.api.Test;

import static dev.llmfallback.provider.MessageFixtures.conversation;
import static dev.llmfallback.provider.MessageFixtures.decode;
import static dev.llmfallback.provider.MessageFixtures.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** {@link CohereMessages} against fixture JSON, without a server. */
class CohereMessagesTests {

	private final CohereMessages cohere = new CohereMessages();

	@Test
	void bodyOfAConversation() {
		// The tool result without a call id is user text.
		assertThat(this.cohere.body(conversation("command-a-03-2025"), false)).isEqualTo(json(getClass(), "request.json"));
	}

	@Test
	void answerCountsTheTokensTheModelSaw() {
		ProviderResponse response = this.cohere.response("p", json(getClass(), "answer.json"));
		assertThat(response).isEqualTo(new ProviderResponse("LLMs are neural networks.", "stop", null,
				new Usage(71, 418, 489)));
	}

	@Test
	void stream() {
		List<ProviderChunk> chunks = decode(this.cohere.decoder(conversation("command"), "p", null), getClass(),
				"stream.jsonl");
		assertThat(chunks).containsExactly(ProviderChunk.text("A"), ProviderChunk.text(" large language model"),
				new ProviderChunk("", "stop", null, new Usage(69, 4, 73)));
	}

	@Test
	void errorInMessageEndIsHandedToTheClassifier() {
		LlmException classified = LlmException.builder(ErrorCategory.SERVER_ERROR).message("classified").build();
		ProviderError[] seen = new ProviderError[1];
		assertThatExceptionOfType(LlmException.class).isThrownBy(() -> decode(this.cohere.decoder(conversation("command"),
				"p", (error) -> {
					seen[0] = error;
					return classified;
				}), getClass(), "stream-error.jsonl")).isSameAs(classified);
		assertThat(seen[0].message()).isEqualTo("internal error while generating");
		assertThat(seen[0].codes()).containsExactly("ERROR");
	}

}
