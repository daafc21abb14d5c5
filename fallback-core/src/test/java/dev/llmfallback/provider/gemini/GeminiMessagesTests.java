package dev.llmfallback.provider.gemini;

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

import static dev.llmfallback.provider.MessageFixtures.conversation;
import static dev.llmfallback.provider.MessageFixtures.decode;
import static dev.llmfallback.provider.MessageFixtures.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * {@link GeminiMessages} against fixture JSON, without a server. The fixtures' sources are in the
 * README beside them.
 */
class GeminiMessagesTests {

	private final GeminiMessages gemini = new GeminiMessages();

	@Test
	void bodyOfAConversation() {
		// Assistant turns are "model", system messages systemInstruction, sampling and extras generationConfig.
		// Gemini has no end-user id: named, and left out only when dropping is allowed.
		ProviderRequest conversation = conversation("gemini-2.5-flash");
		assertThat(this.gemini.unsupportedParams(conversation.request())).containsExactly("user");
		assertThatExceptionOfType(LlmException.class).isThrownBy(() -> this.gemini.body(conversation, false))
			.withMessageContaining("no equivalent for user");
		ProviderRequest dropping = new ProviderRequest(conversation.model(), conversation.request(), true);
		assertThat(this.gemini.body(dropping, false)).isEqualTo(json(getClass(), "request.json"));
		assertThat(this.gemini.body(dropping, true)).isEqualTo(json(getClass(), "request.json"));
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

	private static final Map<String, Object> WEATHER = Map.of("$schema", "https://json-schema.org/draft/2020-12/schema",
			"type", "object", "additionalProperties", false,
			"properties", Map.of("city", Map.of("type", "string", "description", "The city", "examples", List.of("Paris")),
					"unit", Map.of("type", List.of("string", "null"), "enum", List.of("celsius", "fahrenheit")),
					"where", Map.of("$ref", "#/$defs/Point", "description", "A point")),
			"required", List.of("city"),
			"$defs", Map.of("Point", Map.of("type", "object", "additionalProperties", false,
					"properties", Map.of("lat", Map.of("type", "number"), "lon", Map.of("type", "number")),
					"required", List.of("lat", "lon"))));

	private static final Map<String, Object> RECURSIVE = Map.of("type", "object",
			"properties", Map.of("root", Map.of("$ref", "#/$defs/Node")),
			"$defs", Map.of("Node", Map.of("type", "object",
					"properties", Map.of("children", Map.of("type", "array", "items", Map.of("$ref", "#/$defs/Node"))))));

	@Test
	void bodyWithToolsAnImageAndSpecParams() {
		ChatRequest chat = ChatRequest.builder()
			.system("Answer with the tool.")
			.message(ChatMessage.user(ContentPart.text("What is the weather where this photo was taken?"),
					ContentPart.imageUrl("data:image/png;base64,iVBORw0KGgo=")))
			.tool(new Tool("get_weather", "Current weather in a city", WEATHER, false))
			.tool(Tool.function("now", "The current time", Map.of("type", "object", "properties", Map.of())))
			.toolChoice(ToolChoice.named("get_weather"))
			.temperature(0.2)
			.extra("seed", 7)
			.extra("presence_penalty", 0.5)
			.extra("frequency_penalty", 0.25)
			.extra("max_completion_tokens", 256)
			.extra("n", 1)
			.build();
		assertThat(this.gemini.unsupportedParams(chat)).isEmpty();
		assertThat(this.gemini.body(new ProviderRequest("gemini-2.5-flash", chat), false))
			.isEqualTo(json(getClass(), "tools-request.json"));
	}

	@Test
	void parametersAreAlwaysAnObjectSchemaWithProperties() {
		ChatRequest chat = ChatRequest.builder().user("Hi")
			.tool(Tool.function("untyped", null, Map.of("properties", Map.of("q", Map.of("type", "string")))))
			.tool(Tool.function("empty", null, Map.of()))
			.build();
		assertThat(this.gemini.body(new ProviderRequest("g", chat), false).get("tools")).isEqualTo(tree("""
				[{"functionDeclarations": [
				  {"name": "untyped", "parameters": {"type": "object", "properties": {"q": {"type": "string"}}}},
				  {"name": "empty"}]}]
				"""));
	}

	@Test
	void toolChoiceModes() {
		for (Map.Entry<ToolChoice, String> choice : Map.of(ToolChoice.AUTO, "AUTO", ToolChoice.NONE, "NONE",
				ToolChoice.REQUIRED, "ANY").entrySet()) {
			ChatRequest chat = ChatRequest.builder().user("Hi").tool(Tool.function("now", null, Map.of()))
				.toolChoice(choice.getKey()).build();
			assertThat(this.gemini.body(new ProviderRequest("g", chat), false).at("/toolConfig/functionCallingConfig/mode")
				.stringValue()).isEqualTo(choice.getValue());
		}
		// A choice without tools sends no toolConfig.
		ChatRequest none = ChatRequest.builder().user("Hi").toolChoice(ToolChoice.NONE).build();
		assertThat(this.gemini.body(new ProviderRequest("g", none), false).has("toolConfig")).isFalse();
	}

	@Test
	void jsonSchemaIsResponseSchemaAndJsonObjectOnlyTheMimeType() {
		Map<String, Object> recipes = Map.of("type", "array", "items", Map.of("type", "object", "additionalProperties", false,
				"properties", Map.of("recipeName", Map.of("type", "string"),
						"ingredients", Map.of("type", "array", "items", Map.of("type", "string"))),
				"propertyOrdering", List.of("recipeName", "ingredients")));
		ChatRequest chat = ChatRequest.builder().user("List two cookie recipes.")
			.responseFormat(new ResponseFormat.JsonSchema("recipes", "Recipes", recipes, true)).build();
		assertThat(this.gemini.body(new ProviderRequest("g", chat), false)).isEqualTo(json(getClass(), "schema-request.json"));
		ChatRequest object = chat.toBuilder().responseFormat(ResponseFormat.JSON_OBJECT).build();
		assertThat(this.gemini.body(new ProviderRequest("g", object), false).get("generationConfig").toString())
			.isEqualTo("{\"responseMimeType\":\"application/json\"}");
	}

	@Test
	void openAiHistoryMapsToFunctionCallsAndResponsesByName() {
		// OpenAI ids, one with characters and a length no format keeps: Gemini sends no ids at all,
		// the results follow their calls by name, in order.
		String longId = "call:london/1.b";
		String nowId = "call_" + "x".repeat(60);
		ChatRequest chat = ChatRequest.builder()
			.user("Weather in Paris and London, and the time?")
			.message(ChatMessage.assistant("Looking both up.", List.of(
					new ToolCall("call_Paris7dXq2", "get_weather", "{\"city\":\"Paris\"}"),
					new ToolCall(longId, "get_weather", "{\"city\": \"London\"}"), new ToolCall(nowId, "now", ""))))
			.message(ChatMessage.toolResult("call_Paris7dXq2", "{\"city\":\"Paris\",\"weather\":\"sunny in Paris\"}"))
			.message(ChatMessage.toolResult(longId, "rain in London"))
			.message(ChatMessage.toolResult(nowId, "1733356800"))
			.assistant("Sunny in Paris, rain in London.")
			.user("Thanks")
			.build();
		assertThat(this.gemini.body(new ProviderRequest("g", chat), false)).isEqualTo(json(getClass(), "history-request.json"));
	}

	@Test
	void aResultWithoutItsCallIsABadRequest() {
		ChatRequest chat = ChatRequest.builder().user("Hi").message(ChatMessage.toolResult("call_missing", "42")).build();
		assertThatExceptionOfType(LlmException.class)
			.isThrownBy(() -> this.gemini.body(new ProviderRequest("g", chat), false))
			.satisfies((ex) -> assertThat(ex.category()).isEqualTo(ErrorCategory.BAD_REQUEST))
			.withMessageContaining("call_missing");
	}

	@Test
	void callArgumentsThatAreNotAJsonObjectAreABadRequest() {
		for (String arguments : List.of("{\"city\": ", "[1]")) {
			ChatRequest chat = ChatRequest.builder().user("Hi")
				.message(ChatMessage.assistant(null, List.of(new ToolCall("c1", "now", arguments)))).build();
			assertThatExceptionOfType(LlmException.class)
				.isThrownBy(() -> this.gemini.body(new ProviderRequest("g", chat), false))
				.satisfies((ex) -> assertThat(ex.category()).isEqualTo(ErrorCategory.BAD_REQUEST));
		}
	}

	@Test
	void unsupportedParamsAreNamedAndTheBodyAgrees() {
		ChatRequest chat = ChatRequest.builder()
			.message(new ChatMessage(Role.USER, List.of(ContentPart.text("Look"), ContentPart.imageUrl("https://example.com/a.png")),
					List.of(), null, "bob"))
			.tool(Tool.function("tree", null, RECURSIVE))
			.parallelToolCalls(false)
			.responseFormat(ResponseFormat.jsonSchema("tree", RECURSIVE, true))
			.extra("logprobs", true)
			.extra("top_logprobs", 3)
			.extra("n", 2)
			.extra("logit_bias", Map.of("50256", -100))
			.extra("stream_options", Map.of("include_usage", true))
			.extra("topK", 40)
			.build();
		List<String> names = List.of("logprobs", "top_logprobs", "n", "logit_bias", "messages[].name", "image_url",
				"tools[].function.parameters", "parallel_tool_calls", "response_format");
		assertThat(this.gemini.unsupportedParams(chat)).containsExactlyInAnyOrderElementsOf(names);
		assertThatExceptionOfType(LlmException.class)
			.isThrownBy(() -> this.gemini.body(new ProviderRequest("g", chat), false))
			.satisfies((ex) -> assertThat(ex.category()).isEqualTo(ErrorCategory.UNSUPPORTED))
			.satisfies((ex) -> assertThat(ex.getMessage()).contains(names));
		// Dropped: the URL image, the recursive schemas, the spec params go; the caller's own topK stays.
		assertThat(this.gemini.body(new ProviderRequest("g", chat, true), false)).isEqualTo(tree("""
				{"contents": [{"role": "user", "parts": [{"text": "Look"}]}],
				 "tools": [{"functionDeclarations": [{"name": "tree"}]}],
				 "generationConfig": {"topK": 40}}
				"""));
	}

	@Test
	void aStrictToolIsNamedSinceGeminiDoesNotBindArgumentsToTheSchema() {
		Tool strict = new Tool("lookup", null, Map.of("type", "object", "properties", Map.of("q", Map.of("type", "string"))),
				true);
		ChatRequest chat = ChatRequest.builder().user("Find it").tool(strict).build();
		assertThat(this.gemini.unsupportedParams(chat)).containsExactly("tools[].function.strict");
		assertThatExceptionOfType(LlmException.class)
			.isThrownBy(() -> this.gemini.body(new ProviderRequest("g", chat), false))
			.satisfies((ex) -> assertThat(ex.category()).isEqualTo(ErrorCategory.UNSUPPORTED));
		assertThat(this.gemini.body(new ProviderRequest("g", chat, true), false).path("tools").get(0)
			.path("functionDeclarations").get(0).path("name").asString()).isEqualTo("lookup");
		ChatRequest loose = ChatRequest.builder().user("Find it").tool(Tool.function("lookup", null, Map.of())).build();
		assertThat(this.gemini.unsupportedParams(loose)).isEmpty();
	}

	@Test
	void anImageUploadedWithTheFilesApiIsFileData() {
		// fileData: https://ai.google.dev/api/caching#FileData (mimeType optional), Files API URIs:
		// https://ai.google.dev/api/files#File
		String uri = "https://generativelanguage.googleapis.com/v1beta/files/abc-123";
		ChatRequest chat = ChatRequest.builder()
			.message(ChatMessage.user(ContentPart.text("Describe it."), ContentPart.imageUrl(uri)))
			.build();
		assertThat(this.gemini.unsupportedParams(chat)).isEmpty();
		assertThat(this.gemini.body(new ProviderRequest("g", chat), false)).isEqualTo(tree("""
				{"contents": [{"role": "user", "parts": [{"text": "Describe it."}, {"fileData": {"fileUri": "%s"}}]}]}
				""".formatted(uri)));
	}

	@Test
	void answerWithFunctionCallsIsToolCalls() {
		ProviderResponse response = this.gemini.response("p", json(getClass(), "tools-answer.json"));
		assertThat(response.finishReason()).isEqualTo("tool_calls");
		assertThat(response.content()).isEmpty();
		assertThat(response.usage()).isEqualTo(new Usage(70, 20, 90));
		assertThat(response.toolCalls()).hasSize(2);
		ToolCall first = response.toolCalls().get(0);
		assertThat(first.id()).matches("call_[0-9a-f]{24}");
		assertThat(first.name()).isEqualTo("get_weather");
		assertThat(tree(first.arguments())).isEqualTo(tree("{\"city\": \"Paris\", \"unit\": \"celsius\"}"));
		assertThat(response.toolCalls().get(1)).isEqualTo(new ToolCall("fc-2", "get_weather", "{\"city\":\"London\"}"));
	}

	@Test
	void functionCallArgsThatAreNotAnObjectAreAnInvalidResponse() {
		String answer = """
				{"candidates": [{"content": {"role": "model", "parts": [{"functionCall": {"name": "now", "args": [1]}}]},
				 "finishReason": "STOP"}]}
				""";
		assertThatExceptionOfType(LlmException.class).isThrownBy(() -> this.gemini.response("p", tree(answer)))
			.satisfies((ex) -> assertThat(ex.category()).isEqualTo(ErrorCategory.INVALID_RESPONSE));
	}

	@Test
	void aMalformedFunctionCallWithNothingElseIsAnInvalidResponse() {
		// finishReason MALFORMED_FUNCTION_CALL: https://ai.google.dev/api/generate-content#FinishReason
		String answer = """
				{"candidates": [{"content": {"role": "model", "parts": []}, "finishReason": "MALFORMED_FUNCTION_CALL"}]}
				""";
		assertThatExceptionOfType(LlmException.class).isThrownBy(() -> this.gemini.response("p", tree(answer)))
			.satisfies((ex) -> assertThat(ex.category()).isEqualTo(ErrorCategory.INVALID_RESPONSE))
			.withMessageContaining("MALFORMED_FUNCTION_CALL");
	}

	@Test
	void streamEmitsEachFunctionCallWholeAsOneDelta() {
		List<ProviderChunk> chunks = decode(this.gemini.decoder(conversation("gemini"), "p", null), getClass(),
				"tools-stream.jsonl");
		assertThat(chunks).hasSize(4);
		assertThat(chunks.get(0)).isEqualTo(ProviderChunk.text("Let me check."));
		ToolCall.Delta paris = chunks.get(1).toolCallDeltas().get(0);
		assertThat(paris.index()).isZero();
		assertThat(paris.id()).matches("call_[0-9a-f]{24}");
		assertThat(paris.name()).isEqualTo("get_weather");
		assertThat(paris.arguments()).isEqualTo("{\"city\":\"Paris\"}");
		assertThat(chunks.get(2)).isEqualTo(ProviderChunk.toolCalls(
				List.of(new ToolCall.Delta(1, "fc-2", "get_weather", "{\"city\":\"London\"}"))));
		assertThat(chunks.get(3)).isEqualTo(new ProviderChunk("", "tool_calls", "gemini-2.5-flash", new Usage(70, 24, 94)));
	}

	private static tools.jackson.databind.JsonNode tree(String text) {
		return tools.jackson.databind.json.JsonMapper.shared().readTree(text);
	}

}
