package dev.llmfallback.provider.openai;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.llmfallback.ChatMessage;
import dev.llmfallback.ChatRequest;
import dev.llmfallback.ContentPart;
import dev.llmfallback.ResponseFormat;
import dev.llmfallback.Role;
import dev.llmfallback.Tool;
import dev.llmfallback.ToolCall;
import dev.llmfallback.ToolChoice;

import dev.llmfallback.ErrorCategory;
import dev.llmfallback.LlmException;
import dev.llmfallback.Usage;
import dev.llmfallback.provider.ProviderChunk;
import dev.llmfallback.provider.ProviderRequest;
import dev.llmfallback.provider.ProviderResponse;
import dev.llmfallback.provider.http.Json;
import dev.llmfallback.provider.http.StreamDecoder;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
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

	// Rich chat: fixtures from OpenAI's docs, see README.md beside them.

	@Test
	void toolsRequest() {
		JsonNode expected = json(getClass(), "tools-request.json");
		JsonNode function = expected.get("tools").get(0).get("function");
		ChatRequest chat = ChatRequest.builder()
			.user("What's the weather like in Boston today?")
			.tool(Tool.function("get_current_weather", "Get the current weather in a given location",
					map(function.get("parameters"))))
			.toolChoice(ToolChoice.AUTO)
			.build();
		assertThat(this.openAi.body(new ProviderRequest("gpt-4o", chat), false)).isEqualTo(expected);
		assertThat(this.openAi.unsupportedParams(chat)).isEmpty();
	}

	@Test
	void toolsAnswer() {
		ProviderResponse response = this.openAi.response("p", json(getClass(), "tools-answer.json"));
		assertThat(response.toolCalls())
			.containsExactly(new ToolCall("call_abc123", "get_current_weather", "{\n\"location\": \"Boston, MA\"\n}"));
		assertThat(response.finishReason()).isEqualTo("tool_calls");
		assertThat(response.content()).isEmpty();
		assertThat(response.usage()).isEqualTo(new Usage(82, 17, 99));
	}

	@Test
	void toolsStream() {
		List<ProviderChunk> chunks = decode(this.openAi.decoder(conversation("gpt-4o"), "p", null), getClass(),
				"tools-stream.jsonl");
		assertThat(chunks).flatExtracting(ProviderChunk::toolCallDeltas)
			.containsExactly(new ToolCall.Delta(0, "call_DdmO9pD3xa9XTPNJ32zg2hcA", "get_weather", ""),
					new ToolCall.Delta(0, null, null, "{\""), new ToolCall.Delta(0, null, null, "location"),
					new ToolCall.Delta(0, null, null, "\":\""), new ToolCall.Delta(0, null, null, "Paris"),
					new ToolCall.Delta(0, null, null, ", France\"}"),
					new ToolCall.Delta(1, "call_7tQnOa5a1ciCDjTmHyvJJhVV", "get_weather",
							"{\"location\":\"Bogotá, Colombia\"}"));
		assertThat(chunks).extracting(ProviderChunk::delta).containsOnly("");
		assertThat(chunks.get(chunks.size() - 1))
			.isEqualTo(new ProviderChunk("", "tool_calls", "gpt-4o-2024-08-06", new Usage(58, 34, 92)));
	}

	@Test
	void streamOfAServerThatNumbersNoCallsAndEndsWithStop() {
		// Servers that leave out index and id (older compatible servers), ending the turn with "stop".
		StreamDecoder decoder = this.openAi.decoder(conversation("m"), "p", null);
		List<ProviderChunk> chunks = new ArrayList<>();
		decoder.onEvent(null, Json.MAPPER.readTree("""
				{"choices":[{"index":0,"delta":{"tool_calls":[{"function":{"name":"f","arguments":"{}"}}]}}]}"""),
				chunks::add);
		decoder.onEvent(null, Json.MAPPER.readTree("""
				{"choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}"""), chunks::add);
		decoder.onDoneMarker();
		ToolCall.Delta delta = chunks.get(0).toolCallDeltas().get(0);
		assertThat(delta.index()).isZero();
		assertThat(delta.id()).startsWith("call_");
		assertThat(decoder.finish().finishReason()).isEqualTo("tool_calls");
	}

	@Test
	void answerWithArgumentsThatAreNotJsonIsInvalid() {
		JsonNode answer = json(getClass(), "tools-answer.json");
		((ObjectNode) answer.get("choices").get(0).get("message").get("tool_calls").get(0).get("function"))
			.put("arguments", "{\"location\": \"Bos");
		assertThatExceptionOfType(LlmException.class).isThrownBy(() -> this.openAi.response("p", answer))
			.satisfies((ex) -> assertThat(ex.category()).isEqualTo(ErrorCategory.INVALID_RESPONSE));
	}

	@Test
	void imageRequestByUrlAndDataUrl() {
		JsonNode expected = json(getClass(), "image-request.json");
		JsonNode parts = expected.get("messages").get(0).get("content");
		ChatRequest chat = ChatRequest.builder()
			.message(ChatMessage.user(ContentPart.text("What's in these images?"),
					ContentPart.imageUrl(parts.get(1).get("image_url").get("url").stringValue()),
					ContentPart.Image.ofUrl(parts.get(2).get("image_url").get("url").stringValue(), "high")))
			.maxTokens(300)
			.build();
		assertThat(this.openAi.body(new ProviderRequest("gpt-4o", chat), false)).isEqualTo(expected);
	}

	@Test
	void schemaRequestAlreadyStrictIsSentAsItIs() {
		JsonNode expected = json(getClass(), "schema-request.json");
		JsonNode format = expected.get("response_format").get("json_schema");
		ChatRequest chat = ChatRequest.builder()
			.system("You are a helpful math tutor. Guide the user through the solution step by step.")
			.user("how can I solve 8x + 7 = -23")
			.responseFormat(ResponseFormat.jsonSchema("math_reasoning", map(format.get("schema")), true))
			.build();
		assertThat(this.openAi.body(new ProviderRequest("gpt-4o-2024-08-06", chat), false)).isEqualTo(expected);
	}

	@Test
	void jsonObjectAndTextFormats() {
		ChatRequest json = ChatRequest.builder().user("JSON please").responseFormat(ResponseFormat.JSON_OBJECT).build();
		assertThat(this.openAi.body(new ProviderRequest("m", json), false).get("response_format").toString())
			.isEqualTo("{\"type\":\"json_object\"}");
		ChatRequest text = ChatRequest.builder().user("Hi").responseFormat(ResponseFormat.TEXT).build();
		assertThat(this.openAi.body(new ProviderRequest("m", text), false).get("response_format").toString())
			.isEqualTo("{\"type\":\"text\"}");
	}

	@Test
	void historyWithToolCallsFromAnotherFormatKeepsEveryResultWithItsCall() {
		// Point 4: OpenAI ids are kept; a 67-character composite id (another format's) becomes its
		// deterministic hash in the call and in its result alike.
		String longId = "call_KyCTjXCSzXgVSjP1lAMSyyeS|fc_68a3f0e8b1c0819aa3e1f4a0f5e2b7c50d";
		ChatRequest chat = ChatRequest.builder()
			.user("What's the weather like in Paris and Bogotá?")
			.message(ChatMessage.assistant(null,
					List.of(new ToolCall("call_DdmO9pD3xa9XTPNJ32zg2hcA", "get_weather", "{\"location\":\"Paris, France\"}"),
							new ToolCall(longId, "get_weather", "{\"location\":\"Bogotá, Colombia\"}"))))
			.message(ChatMessage.toolResult("call_DdmO9pD3xa9XTPNJ32zg2hcA", "{\"temperature\":14}"))
			.message(ChatMessage.toolResult(longId, "{\"temperature\":18}"))
			.assistant("Paris is at 14 °C, Bogotá at 18 °C.")
			.user("Thanks")
			.tool(new Tool("get_weather", null,
					Map.of("type", "object", "properties", Map.of("location", Map.of("type", "string")), "required",
							List.of("location")),
					true))
			.toolChoice(ToolChoice.named("get_weather"))
			.parallelToolCalls(true)
			.build();
		assertThat(this.openAi.body(new ProviderRequest("gpt-4o", chat), false))
			.isEqualTo(json(getClass(), "history-request.json"));
	}

	@Test
	void strictToolWithAGeminiStyleSchemaIsAdaptedForOpenAi() {
		// LiteLLM issue 31343: after a Gemini attempt, the tool's schema reaches OpenAI's strict mode
		// without additionalProperties and with optional properties; OpenAI refuses it as it is.
		Map<String, Object> gemini = map(Json.MAPPER.readTree("""
				{"type": "OBJECT", "properties": {"city": {"type": "STRING"}, "days": {"type": "INTEGER", "nullable": true}},
				 "required": ["city"]}"""));
		ChatRequest chat = ChatRequest.builder()
			.user("Forecast for Oslo")
			.tool(new Tool("forecast", "Weather forecast", gemini, true))
			.build();
		JsonNode function = this.openAi.body(new ProviderRequest("gpt-4o", chat), false).get("tools").get(0).get("function");
		assertThat(function.get("strict").asBoolean()).isTrue();
		assertThat(function.get("parameters")).isEqualTo(Json.MAPPER.readTree("""
				{"type": "object", "properties": {"city": {"type": "string"}, "days": {"type": ["integer", "null"]}},
				 "required": ["city", "days"], "additionalProperties": false}"""));
		assertThat(this.openAi.unsupportedParams(chat)).isEmpty();
	}

	@Test
	void strictSchemaThatStrictModeRefusesIsUnsupportedUnlessDropped() {
		Map<String, Object> schema = Map.of("type", "object", "properties", Map.of("tags", Map.of("type", "object",
				"additionalProperties", Map.of("type", "string"))));
		ChatRequest chat = ChatRequest.builder()
			.user("Tag it")
			.tool(new Tool("tag", null, schema, true))
			.responseFormat(ResponseFormat.jsonSchema("tags", schema, true))
			.build();
		assertThat(this.openAi.unsupportedParams(chat))
			.containsExactly("tools[].function.strict", "response_format.json_schema.strict");
		assertThatExceptionOfType(LlmException.class)
			.isThrownBy(() -> this.openAi.body(new ProviderRequest("gpt-4o", chat), false))
			.satisfies((ex) -> assertThat(ex.category()).isEqualTo(ErrorCategory.UNSUPPORTED))
			.withMessageContaining("tools[].function.strict");
		ObjectNode dropped = this.openAi.body(new ProviderRequest("gpt-4o", chat, true), false);
		assertThat(dropped.get("tools").get(0).get("function").has("strict")).isFalse();
		assertThat(dropped.get("tools").get(0).get("function").get("parameters")).isEqualTo(Json.tree(schema));
		assertThat(dropped.get("response_format").get("json_schema").has("strict")).isFalse();
	}

	@Test
	void plainRequestsNameNothingUnsupportedAndPassEverySpecExtraThrough() {
		ChatRequest chat = ChatRequest.builder().user("Hi").extra("logprobs", true).extra("n", 2).build();
		assertThat(this.openAi.unsupportedParams(chat)).isEmpty();
		ObjectNode body = this.openAi.body(new ProviderRequest("gpt-4o", chat), false);
		assertThat(body.get("logprobs").asBoolean()).isTrue();
		assertThat(body.get("n").asInt()).isEqualTo(2);
	}

	@Test
	void toolChoiceAndParallelCallsWithoutToolsAreLeftOut() {
		ChatRequest chat = ChatRequest.builder().user("Hi").toolChoice(ToolChoice.NONE).parallelToolCalls(false).build();
		ObjectNode body = this.openAi.body(new ProviderRequest("gpt-4o", chat), false);
		assertThat(body.has("tool_choice")).isFalse();
		assertThat(body.has("parallel_tool_calls")).isFalse();
	}

	@Test
	void namedAuthorIsSent() {
		ChatRequest chat = ChatRequest.of(new ChatMessage(Role.USER, List.of(ContentPart.text("Hi")), List.of(), null, "ada"));
		assertThat(this.openAi.body(new ProviderRequest("gpt-4o", chat), false).get("messages").get(0).toString())
			.isEqualTo("{\"role\":\"user\",\"content\":\"Hi\",\"name\":\"ada\"}");
	}

	private static Map<String, Object> map(JsonNode node) {
		return Json.MAPPER.convertValue(node, new tools.jackson.core.type.TypeReference<Map<String, Object>>() {
		});
	}

}
