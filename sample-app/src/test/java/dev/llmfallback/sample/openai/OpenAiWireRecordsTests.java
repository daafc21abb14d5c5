package dev.llmfallback.sample.openai;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.module.blackbird.BlackbirdModule;

import dev.llmfallback.Attempt;
import dev.llmfallback.AttemptKind;
import dev.llmfallback.ErrorCategory;
import dev.llmfallback.web.FallbackErrorResponse;

import static org.assertj.core.api.Assertions.assertThat;

/** The OpenAI wire's records read and write what OpenAI's clients send and expect, without a server. */
class OpenAiWireRecordsTests {

	/** Jackson as it comes, and with the Blackbird module the application adds: both must read and write the same. */
	static Stream<Named<JsonMapper>> mappers() {
		return Stream.of(Named.of("plain", JsonMapper.builder().build()),
				Named.of("blackbird", JsonMapper.builder().addModule(new BlackbirdModule()).build()));
	}

	@ParameterizedTest
	@MethodSource("mappers")
	void fieldsTheGatewayDoesNotTranslateAreKeptInOrderForTheNextHop(JsonMapper json) {
		ChatCompletionRequest request = json.readValue("""
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

	@ParameterizedTest
	@MethodSource("mappers")
	void aRequestWithoutExtrasHasAnEmptyMapNotNull(JsonMapper json) {
		ChatCompletionRequest request = json.readValue("{\"model\":\"chat\",\"messages\":[]}",
				ChatCompletionRequest.class);
		assertThat(request.extra()).isEmpty();
	}

	@ParameterizedTest
	@MethodSource("mappers")
	void theErrorEnvelopeCarriesOpenAisFieldsThenTheCategoryAndAttempts(JsonMapper json) {
		FallbackErrorResponse answer = new FallbackErrorResponse(400, ErrorCategory.CONTEXT_WINDOW_EXCEEDED, "too long",
				List.of(new Attempt("a", "p", AttemptKind.PRIMARY, "context_window_exceeded", 400, Duration.ZERO, null)),
				null, false, "invalid_request_error", "context_length_exceeded");
		@SuppressWarnings("unchecked")
		Map<String, Object> error = (Map<String, Object>) json
			.readValue(json.writeValueAsString(OpenAiErrorEnvelope.of(answer)), Map.class)
			.get("error");
		assertThat(error.keySet()).containsExactly("message", "type", "param", "code", "category", "attempts");
		assertThat(error).containsEntry("param", null)
			.containsEntry("code", "context_length_exceeded")
			.containsEntry("category", "context_window_exceeded");
	}

	@ParameterizedTest
	@MethodSource("mappers")
	void aChunkWritesNullFinishReasonsAndLeavesOutWhatItDoesNotCarry(JsonMapper json) {
		String chunk = json.writeValueAsString(new ChatCompletionChunk("id", ChatCompletionChunk.OBJECT, 1, "m",
				List.of(new ChatCompletionChunk.Choice(0, new ChatCompletionChunk.Delta("Hel"), null)), null, null));
		assertThat(chunk).isEqualTo("{\"id\":\"id\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\","
				+ "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hel\"},\"finish_reason\":null}]}");
	}

}
