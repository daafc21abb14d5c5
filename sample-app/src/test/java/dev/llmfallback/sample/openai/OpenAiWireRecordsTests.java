package dev.llmfallback.sample.openai;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import dev.llmfallback.Attempt;
import dev.llmfallback.AttemptKind;
import dev.llmfallback.ErrorCategory;
import dev.llmfallback.web.FallbackErrorResponse;

import static org.assertj.core.api.Assertions.assertThat;

/** The OpenAI wire's records read and write what OpenAI's clients send and expect, without a server. */
class OpenAiWireRecordsTests {

	private final JsonMapper json = JsonMapper.builder().build();

	@Test
	void fieldsTheGatewayDoesNotTranslateAreKeptInOrderForTheNextHop() {
		ChatCompletionRequest request = this.json.readValue("""
				{"model": "chat", "messages": [{"role": "user", "content": "hi", "name": "ada"}],
				 "tools": [{"type": "function", "function": {"name": "f"}}], "seed": 7, "top_p": 0.5,
				 "stream_options": {"include_usage": true, "include_obfuscation": false}}
				""", ChatCompletionRequest.class);

		assertThat(request.topP()).isEqualTo(0.5);
		assertThat(request.extra()).containsOnlyKeys("tools", "seed").containsEntry("seed", 7);
		assertThat(request.messages().get(0).extra()).containsEntry("name", "ada");
		assertThat(request.streamOptions().includeUsage()).isTrue();
		assertThat(request.streamOptions().extra()).containsEntry("include_obfuscation", false);
	}

	@Test
	void aRequestWithoutExtrasHasAnEmptyMapNotNull() {
		ChatCompletionRequest request = this.json.readValue("{\"model\":\"chat\",\"messages\":[]}",
				ChatCompletionRequest.class);
		assertThat(request.extra()).isEmpty();
	}

	@Test
	void theErrorEnvelopeCarriesOpenAisFieldsThenTheCategoryAndAttempts() {
		FallbackErrorResponse answer = new FallbackErrorResponse(400, ErrorCategory.CONTEXT_WINDOW_EXCEEDED, "too long",
				List.of(new Attempt("a", "p", AttemptKind.PRIMARY, "context_window_exceeded", 400, Duration.ZERO, null)),
				null, false, "invalid_request_error", "context_length_exceeded");
		@SuppressWarnings("unchecked")
		Map<String, Object> error = (Map<String, Object>) this.json
			.readValue(this.json.writeValueAsString(OpenAiErrorEnvelope.of(answer)), Map.class)
			.get("error");
		assertThat(error.keySet()).containsExactly("message", "type", "param", "code", "category", "attempts");
		assertThat(error).containsEntry("param", null)
			.containsEntry("code", "context_length_exceeded")
			.containsEntry("category", "context_window_exceeded");
	}

	@Test
	void aChunkWritesNullFinishReasonsAndLeavesOutWhatItDoesNotCarry() {
		String chunk = this.json.writeValueAsString(new ChatCompletionChunk("id", ChatCompletionChunk.OBJECT, 1, "m",
				List.of(new ChatCompletionChunk.Choice(0, new ChatCompletionChunk.Delta("Hel"), null)), null, null));
		assertThat(chunk).isEqualTo("{\"id\":\"id\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\","
				+ "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hel\"},\"finish_reason\":null}]}");
	}

}
