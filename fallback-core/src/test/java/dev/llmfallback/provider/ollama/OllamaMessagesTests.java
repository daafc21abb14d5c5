package dev.llmfallback.provider.ollama;

import java.util.List;
import java.util.Map;

import dev.llmfallback.ChatMessage;
import dev.llmfallback.ChatRequest;
import dev.llmfallback.ContentPart;
import dev.llmfallback.ErrorCategory;
import dev.llmfallback.LlmException;
import dev.llmfallback.ResponseFormat;
import dev.llmfallback.Role;
import dev.llmfallback.Tool;
import dev.llmfallback.ToolCall;
import dev.llmfallback.ToolChoice;
import dev.llmfallback.Usage;
import dev.llmfallback.provider.ProviderChunk;
import dev.llmfallback.provider.ProviderRequest;
import dev.llmfallback.provider.ProviderResponse;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

import static dev.llmfallback.provider.MessageFixtures.conversation;
import static dev.llmfallback.provider.MessageFixtures.decode;
import static dev.llmfallback.provider.MessageFixtures.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** {@link OllamaMessages} against fixture JSON (sources in the fixtures' README.md), without a server. */
class OllamaMessagesTests {

	private final OllamaMessages ollama = new OllamaMessages();

	@Test
	void bodyOfAConversationSaysWhetherToStream() {
		// Ollama streams unless told not to; sampling and extras go into options.
		// Ollama has no end-user id: named, and left out only when dropping is allowed.
		ObjectNode expected = (ObjectNode) json(getClass(), "request.json");
		ProviderRequest conversation = conversation("llama3.2");
		assertThat(this.ollama.unsupportedParams(conversation.request())).containsExactly("user");
		assertThatExceptionOfType(LlmException.class).isThrownBy(() -> this.ollama.body(conversation, false))
			.withMessageContaining("no equivalent for user");
		ProviderRequest dropping = new ProviderRequest(conversation.model(), conversation.request(), true);
		assertThat(this.ollama.body(dropping, false)).isEqualTo(expected);
		expected.put("stream", true);
		assertThat(this.ollama.body(dropping, true)).isEqualTo(expected);
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

	static final Tool TEMPERATURE = Tool.function("get_temperature", "Get the current temperature for a city",
			Map.of("type", "object", "required", List.of("city"), "properties",
					Map.of("city", Map.of("type", "string", "description", "The name of the city"))));

	static final Tool CONDITIONS = Tool.function("get_conditions", null, Map.of());

	@Test
	void openAiToolHistoryNamesEachResultByItsCall() {
		String longId = "call_0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef.extra";
		ChatRequest chat = ChatRequest.builder()
			.user("What is the temperature in New York and Paris?")
			.message(ChatMessage.assistant(null,
					List.of(new ToolCall("call_abc123", "get_temperature", "{\"city\":\"New York\"}"),
							new ToolCall(longId, "get_conditions", "{\"city\":\"Paris\"}"))))
			.message(ChatMessage.toolResult("call_abc123", "22°C"))
			.message(ChatMessage.toolResult(longId, "Sunny"))
			.user("And tomorrow?")
			.tool(TEMPERATURE)
			.tool(CONDITIONS)
			.toolChoice(ToolChoice.AUTO)
			.parallelToolCalls(true)
			.extra("max_completion_tokens", 200)
			.extra("seed", 42)
			.extra("presence_penalty", 0.5)
			.extra("frequency_penalty", 0.25)
			.extra("num_ctx", 8192)
			.build();
		assertThat(this.ollama.unsupportedParams(chat)).isEmpty();
		assertThat(this.ollama.body(new ProviderRequest("qwen3", chat), false))
			.isEqualTo(json(getClass(), "tools-request.json"));
	}

	@Test
	void aResultWhoseIdMeetsNoCallIsABadRequest() {
		ChatRequest chat = ChatRequest.builder()
			.user("Hi")
			.message(ChatMessage.assistant(null, List.of(new ToolCall("call_1", "get_temperature", "{}"))))
			.message(ChatMessage.toolResult("call_2", "22°C"))
			.build();
		assertThatExceptionOfType(LlmException.class)
			.isThrownBy(() -> this.ollama.body(new ProviderRequest("qwen3", chat), false))
			.satisfies((ex) -> assertThat(ex.category()).isEqualTo(ErrorCategory.BAD_REQUEST))
			.withMessageContaining("call_2");
	}

	@Test
	void dataImagesAreBase64Strings() {
		ChatRequest chat = ChatRequest.builder()
			.message(ChatMessage.user(ContentPart.text("What is in this image?"),
					ContentPart.imageUrl("data:image/png;base64,iVBORw0KGgoAAAANSUhEUg==")))
			.build();
		assertThat(this.ollama.unsupportedParams(chat)).isEmpty();
		assertThat(this.ollama.body(new ProviderRequest("gemma3", chat), false))
			.isEqualTo(json(getClass(), "image-request.json"));
	}

	@Test
	void formatIsJsonOrTheSchema() {
		ChatRequest chat = ChatRequest.builder()
			.user("Ollama is 22 years old and is busy saving the world. Respond using JSON")
			.responseFormat(ResponseFormat.jsonSchema("person",
					Map.of("type", "object", "properties",
							Map.of("age", Map.of("type", "integer"), "available", Map.of("type", "boolean")),
							"required", List.of("age", "available")),
					true))
			.build();
		assertThat(this.ollama.body(new ProviderRequest("llama3.1", chat), false))
			.isEqualTo(json(getClass(), "schema-request.json"));
		ChatRequest object = ChatRequest.builder().user("JSON").responseFormat(ResponseFormat.JSON_OBJECT).build();
		assertThat(this.ollama.body(new ProviderRequest("llama3.1", object), false).get("format").stringValue())
			.isEqualTo("json");
	}

	@Test
	void whatOllamaCannotCarryIsNamedAndLeftOutOnlyWhenDroppingIsAllowed() {
		ChatRequest chat = ChatRequest.builder()
			.message(new ChatMessage(Role.USER,
					List.of(ContentPart.text("Look"), ContentPart.imageUrl("https://example.com/cat.png"),
							ContentPart.imageData("image/png", "iVBORw0KGgo=")),
					List.of(), null, "ann"))
			.tool(new Tool("get_temperature", null, Map.of(), true))
			.toolChoice(ToolChoice.REQUIRED)
			.parallelToolCalls(false)
			.extra("n", 2)
			.extra("logprobs", false)
			.extra("stream_options", Map.of("include_usage", true))
			.build();
		assertThat(this.ollama.unsupportedParams(chat)).containsExactly("n", "messages[].name", "image_url",
				"tools[].function.strict", "tool_choice", "parallel_tool_calls");
		assertThatExceptionOfType(LlmException.class)
			.isThrownBy(() -> this.ollama.body(new ProviderRequest("m", chat), false))
			.satisfies((ex) -> assertThat(ex.category()).isEqualTo(ErrorCategory.UNSUPPORTED));
		var body = this.ollama.body(new ProviderRequest("m", chat, true), false);
		assertThat(body.get("messages").get(0).toString())
			.isEqualTo("{\"role\":\"user\",\"content\":\"Look\",\"images\":[\"iVBORw0KGgo=\"]}");
		assertThat(body.has("options")).isFalse();
		assertThat(body.has("n")).isFalse();
		assertThat(body.has("stream_options")).isFalse();
		assertThat(body.has("logprobs")).isFalse();
	}

	@Test
	void answerWithToolCallsKeepsAGivenIdAndMakesOneOtherwise() {
		ProviderResponse response = this.ollama.response("p", json(getClass(), "tools-answer.json"));
		assertThat(response.finishReason()).isEqualTo("tool_calls");
		assertThat(response.content()).isEmpty();
		assertThat(response.usage()).isEqualTo(new Usage(211, 42, 253));
		assertThat(response.toolCalls()).extracting(ToolCall::name, ToolCall::arguments)
			.containsExactly(org.assertj.core.groups.Tuple.tuple("get_temperature", "{\"city\":\"New York\"}"),
					org.assertj.core.groups.Tuple.tuple("get_conditions", "{\"city\":\"New York\"}"));
		assertThat(response.toolCalls().get(0).id()).matches("call_[0-9a-f]{24}");
		assertThat(response.toolCalls().get(1).id()).isEqualTo("call_x8k2m1");
	}

	@Test
	void argumentsThatAreNotAnObjectAreAnInvalidAnswer() {
		var answer = json(getClass(), "tools-answer.json").deepCopy();
		((ObjectNode) answer.get("message").get("tool_calls").get(0).get("function")).put("arguments", 7);
		assertThatExceptionOfType(LlmException.class).isThrownBy(() -> this.ollama.response("p", answer))
			.satisfies((ex) -> assertThat(ex.category()).isEqualTo(ErrorCategory.INVALID_RESPONSE));
	}

	@Test
	void streamedCallsComeWholeOneDeltaEachNumberedAcrossTheStream() {
		List<ProviderChunk> chunks = decode(this.ollama.decoder(conversation("qwen3"), "p", null), getClass(),
				"tools-stream.jsonl");
		assertThat(chunks).hasSize(3);
		ToolCall.Delta first = chunks.get(0).toolCallDeltas().get(0);
		ToolCall.Delta second = chunks.get(1).toolCallDeltas().get(0);
		assertThat(first.index()).isZero();
		assertThat(first.name()).isEqualTo("get_temperature");
		assertThat(first.arguments()).isEqualTo("{\"city\":\"New York\"}");
		assertThat(first.id()).startsWith("call_");
		assertThat(second.index()).isOne();
		assertThat(second.name()).isEqualTo("get_conditions");
		assertThat(chunks.get(2)).isEqualTo(new ProviderChunk("", "tool_calls", "qwen3", new Usage(211, 42, 253)));
	}

}
