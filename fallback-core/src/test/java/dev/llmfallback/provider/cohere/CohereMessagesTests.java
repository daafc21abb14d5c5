package dev.llmfallback.provider.cohere;

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
import dev.llmfallback.provider.http.ProviderError;
import org.junit.jupiter.api.Test;

import static dev.llmfallback.provider.MessageFixtures.conversation;
import static dev.llmfallback.provider.MessageFixtures.decode;
import static dev.llmfallback.provider.MessageFixtures.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** {@link CohereMessages} against fixture JSON (sources in the fixtures' README.md), without a server. */
class CohereMessagesTests {

	private final CohereMessages cohere = new CohereMessages();

	@Test
	void bodyOfAConversation() {
		// The tool result without a call id is user text. Cohere has no end-user id: named, and left out
		// only when dropping is allowed.
		ProviderRequest conversation = conversation("command-a-03-2025");
		assertThat(this.cohere.unsupportedParams(conversation.request())).containsExactly("user");
		assertThatExceptionOfType(LlmException.class).isThrownBy(() -> this.cohere.body(conversation, false))
			.withMessageContaining("no equivalent for user");
		ProviderRequest dropping = new ProviderRequest(conversation.model(), conversation.request(), true);
		assertThat(this.cohere.body(dropping, false)).isEqualTo(json(getClass(), "request.json"));
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

	static final Tool WEATHER = new Tool("get_weather", "Gets the weather",
			Map.of("type", "object", "properties", Map.of("location", Map.of("type", "string")), "required",
					List.of("location")),
			true);

	static final String LONG_ID = "call_0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef.extra";

	@Test
	void openAiToolHistoryKeepsItsIdsSoEveryResultMeetsItsCall() {
		ChatRequest chat = ChatRequest.builder()
			.system("Use the tools.")
			.user("Weather in Paris and Rome?")
			.message(ChatMessage.assistant("I will look both up.",
					List.of(new ToolCall("call_abc123", "get_weather", "{\"location\":\"Paris\"}"),
							new ToolCall(LONG_ID, "get_weather", "{\"location\":\"Rome\"}"))))
			.message(ChatMessage.toolResult("call_abc123", "{\"temp\":18}"))
			.message(ChatMessage.toolResult(LONG_ID, "{\"temp\":24}"))
			.user("And tomorrow?")
			.tool(WEATHER)
			.toolChoice(ToolChoice.REQUIRED)
			.parallelToolCalls(true)
			.extra("seed", 7)
			.extra("presence_penalty", 0.5)
			.extra("frequency_penalty", 0.25)
			.extra("max_completion_tokens", 300)
			.extra("k", 40)
			.build();
		assertThat(this.cohere.unsupportedParams(chat)).isEmpty();
		assertThat(this.cohere.body(new ProviderRequest("command-a-03-2025", chat), false))
			.isEqualTo(json(getClass(), "tools-request.json"));
	}

	@Test
	void imagesByUrlAndAsDataAreImageUrlParts() {
		ChatRequest chat = ChatRequest.builder()
			.message(ChatMessage.user(ContentPart.text("What is in these images?"),
					ContentPart.Image.ofUrl("https://cohere.com/favicon-32x32.png", "high"),
					ContentPart.imageData("image/png", "iVBORw0KGgo=")))
			.build();
		assertThat(this.cohere.unsupportedParams(chat)).isEmpty();
		assertThat(this.cohere.body(new ProviderRequest("command-a-vision-07-2025", chat), false))
			.isEqualTo(json(getClass(), "image-request.json"));
	}

	@Test
	void jsonSchemaIsAJsonObjectWithItsSchema() {
		ChatRequest chat = ChatRequest.builder()
			.user("Generate a JSON describing a book")
			.responseFormat(ResponseFormat.jsonSchema("book",
					Map.of("type", "object", "properties",
							Map.of("title", Map.of("type", "string"), "author", Map.of("type", "string"),
									"publication_year", Map.of("type", "integer")),
							"required", List.of("title", "author", "publication_year")),
					true))
			.build();
		assertThat(this.cohere.body(new ProviderRequest("command-a-03-2025", chat), false))
			.isEqualTo(json(getClass(), "schema-request.json"));
		ChatRequest object = ChatRequest.builder().user("JSON please").responseFormat(ResponseFormat.JSON_OBJECT).build();
		assertThat(this.cohere.body(new ProviderRequest("command-a-03-2025", object), false).get("response_format").toString())
			.isEqualTo("{\"type\":\"json_object\"}");
	}

	@Test
	void toolChoiceNoneAndTheNamedSingleToolHaveEquivalents() {
		ChatRequest none = ChatRequest.builder().user("Hi").tool(WEATHER).toolChoice(ToolChoice.NONE).build();
		assertThat(this.cohere.body(new ProviderRequest("m", none), false).get("tool_choice").stringValue())
			.isEqualTo("NONE");
		ChatRequest named = ChatRequest.builder().user("Hi").tool(WEATHER).toolChoice(ToolChoice.named("get_weather")).build();
		assertThat(this.cohere.unsupportedParams(named)).isEmpty();
		assertThat(this.cohere.body(new ProviderRequest("m", named), false).get("tool_choice").stringValue())
			.isEqualTo("REQUIRED");
		ChatRequest auto = ChatRequest.builder().user("Hi").tool(WEATHER).toolChoice(ToolChoice.AUTO).build();
		assertThat(this.cohere.body(new ProviderRequest("m", auto), false).has("tool_choice")).isFalse();
	}

	@Test
	void whatV2CannotCarryIsNamedAndLeftOutOnlyWhenDroppingIsAllowed() {
		Tool other = Tool.function("get_time", null, Map.of());
		ChatRequest chat = ChatRequest.builder()
			.message(new ChatMessage(Role.USER, List.of(ContentPart.text("Hi")), List.of(), null, "ann"))
			.tool(WEATHER)
			.tool(other)
			.toolChoice(ToolChoice.named("get_time"))
			.parallelToolCalls(false)
			.extra("n", 2)
			.extra("logprobs", false)
			.extra("top_logprobs", 3)
			.build();
		List<String> names = this.cohere.unsupportedParams(chat);
		assertThat(names).containsExactlyInAnyOrder("n", "top_logprobs", "messages[].name", "tool_choice",
				"parallel_tool_calls");
		assertThatExceptionOfType(LlmException.class)
			.isThrownBy(() -> this.cohere.body(new ProviderRequest("m", chat), false))
			.satisfies((ex) -> assertThat(ex.category()).isEqualTo(ErrorCategory.UNSUPPORTED))
			.withMessageContaining("tool_choice");
		var body = this.cohere.body(new ProviderRequest("m", chat, true), false);
		assertThat(body.has("tool_choice")).isFalse();
		assertThat(body.has("n")).isFalse();
		assertThat(body.has("top_logprobs")).isFalse();
		assertThat(body.has("logprobs")).isFalse();
		assertThat(body.get("messages").get(0).has("name")).isFalse();
		assertThat(body.get("tools").get(1).get("function").get("parameters").toString())
			.isEqualTo("{\"type\":\"object\",\"properties\":{}}");
	}

	@Test
	void answerWithToolCallsKeepsTheirIdsAndLeavesThePlanOut() {
		ProviderResponse response = this.cohere.response("p", json(getClass(), "tools-answer.json"));
		assertThat(response).isEqualTo(new ProviderResponse("", "tool_calls", null, new Usage(913, 81, 994),
				List.of(new ToolCall("get_weather_1byjy32y4hvq", "get_weather", "{\"location\":\"Toronto\"}"))));
	}

	@Test
	void argumentsThatAreNotAJsonObjectAreAnInvalidAnswer() {
		var answer = json(getClass(), "tools-answer.json").deepCopy();
		((tools.jackson.databind.node.ObjectNode) answer.get("message").get("tool_calls").get(0).get("function"))
			.put("arguments", "[1, 2]");
		assertThatExceptionOfType(LlmException.class).isThrownBy(() -> this.cohere.response("p", answer))
			.satisfies((ex) -> assertThat(ex.category()).isEqualTo(ErrorCategory.INVALID_RESPONSE));
	}

	@Test
	void streamedToolCallsAreDeltasNumberedAmongTheCallsAndThePlanIsNotText() {
		List<ProviderChunk> chunks = decode(this.cohere.decoder(conversation("command"), "p", null), getClass(),
				"tools-stream.jsonl");
		assertThat(chunks).containsExactly(
				ProviderChunk.toolCalls(List.of(new ToolCall.Delta(0, "get_weather_p0dage9q1nv4", "get_weather", ""))),
				ProviderChunk.toolCalls(List.of(new ToolCall.Delta(0, null, null, "{\n    \""))),
				ProviderChunk.toolCalls(List.of(new ToolCall.Delta(0, null, null, "location\": \"Madrid\"\n}"))),
				ProviderChunk.toolCalls(List.of(new ToolCall.Delta(1, "get_weather_7b8m2hdv3x1a", "get_weather", ""))),
				ProviderChunk.toolCalls(List.of(new ToolCall.Delta(1, null, null, "{\"location\": \"Brasilia\"}"))),
				new ProviderChunk("", "tool_calls", null, new Usage(913, 81, 994)));
	}

	@Test
	void argumentsOfACallThatNeverStartedAreAnInvalidAnswer() {
		var decoder = this.cohere.decoder(conversation("command"), "p", null);
		assertThatExceptionOfType(LlmException.class)
			.isThrownBy(() -> decoder.onEvent("tool-call-delta", tools.jackson.databind.json.JsonMapper.shared()
				.readTree("{\"type\":\"tool-call-delta\",\"index\":3,\"delta\":{\"message\":{\"tool_calls\":{\"function\":{\"arguments\":\"{}\"}}}}}"),
					(chunk) -> { }))
			.satisfies((ex) -> assertThat(ex.category()).isEqualTo(ErrorCategory.INVALID_RESPONSE));
	}

	@Test
	void schemasAreFittedToWhatCohereTakes() {
		// https://docs.cohere.com/docs/structured-outputs: "Schema constraints", "Unsupported schema features"
		Map<String, Object> schema = Map.of("type", "object", "additionalProperties", false, "properties",
				Map.of("code", Map.of("type", "string", "pattern", "^[A-Z]{3}$", "maxLength", 3, "description", "IATA"),
						"email", Map.of("type", "string", "format", "email"),
						"when", Map.of("type", "string", "format", "date-time")));
		ChatRequest chat = ChatRequest.builder()
			.user("Flight?")
			.responseFormat(ResponseFormat.jsonSchema("flight", schema, true))
			.build();
		assertThat(this.cohere.unsupportedParams(chat)).isEmpty();
		var fitted = this.cohere.body(new ProviderRequest("m", chat), false).get("response_format").get("json_schema");
		assertThat(fitted.has("additionalProperties")).isFalse();
		assertThat(fitted.get("required")).hasSize(3);
		var code = fitted.get("properties").get("code");
		assertThat(code.get("pattern").stringValue()).isEqualTo("[A-Z]{3}");
		assertThat(code.has("maxLength")).isFalse();
		assertThat(code.get("description").stringValue()).isEqualTo("IATA (maxLength 3)");
		assertThat(fitted.get("properties").get("email").toString())
			.isEqualTo("{\"type\":\"string\",\"description\":\"(format email)\"}");
		assertThat(fitted.get("properties").get("when").get("format").stringValue()).isEqualTo("date-time");
	}

	@Test
	void schemasThatCannotBeFittedAreUnsupported() {
		Map<String, Object> composed = Map.of("type", "object", "properties",
				Map.of("id", Map.of("anyOf", List.of(Map.of("type", "string"), Map.of("type", "integer")))),
				"required", List.of("id"));
		ChatRequest chat = ChatRequest.builder()
			.user("Hi")
			.tool(new Tool("lookup", null, composed, true))
			.responseFormat(ResponseFormat.jsonSchema("answer", composed, true))
			.build();
		assertThat(this.cohere.unsupportedParams(chat)).containsExactly("tools[].function.parameters",
				"response_format");
		var body = this.cohere.body(new ProviderRequest("m", chat, true), false);
		assertThat(body.has("response_format")).isFalse();
		assertThat(body.has("strict_tools")).isFalse();
		assertThat(body.get("tools").get(0).get("function").get("parameters").get("properties").get("id").has("anyOf"))
			.isTrue();
		// Not strict: the schema goes as it is, as the model only reads it.
		ChatRequest loose = ChatRequest.builder().user("Hi").tool(new Tool("lookup", null, composed, false)).build();
		assertThat(this.cohere.unsupportedParams(loose)).isEmpty();
	}

}
