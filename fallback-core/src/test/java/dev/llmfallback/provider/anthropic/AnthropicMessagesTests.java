package dev.llmfallback.provider.anthropic;

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

/** {@link AnthropicMessages} against fixture JSON, without a server. */
class AnthropicMessagesTests {

	private final AnthropicMessages anthropic = new AnthropicMessages();

	@Test
	void bodyOfAConversation() {
		// System messages become "system"; the tool result without a call id is user text.
		assertThat(this.anthropic.body(conversation("claude-sonnet-4-5"), false)).isEqualTo(json(getClass(), "request.json"));
	}

	@Test
	void answerKeepsOnlyTextBlocksAndCountsCachedInput() {
		ProviderResponse response = this.anthropic.response("p", json(getClass(), "answer.json"));
		assertThat(response).isEqualTo(new ProviderResponse("Hi! My name is Claude.", "stop",
				"claude-sonnet-4-5-20250929", new Usage(2110, 503, 2613)));
	}

	@Test
	void refusalWithoutTextIsContentPolicy() {
		assertThatExceptionOfType(LlmException.class)
			.isThrownBy(() -> this.anthropic.response("p", json(getClass(), "refusal.json")))
			.satisfies((ex) -> assertThat(ex.category()).isEqualTo(ErrorCategory.CONTENT_POLICY));
	}

	@Test
	void stream() {
		List<ProviderChunk> chunks = decode(this.anthropic.decoder(conversation("claude"), "p", null), getClass(),
				"stream.jsonl");
		assertThat(chunks).containsExactly(ProviderChunk.text("Hello"), ProviderChunk.text("!"),
				new ProviderChunk("", "stop", "claude-opus-4-1-20250805", new Usage(25, 15, 40)));
	}

}
