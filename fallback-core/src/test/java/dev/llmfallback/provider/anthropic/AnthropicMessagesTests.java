package dev.llmfallback.provider.anthropic;

import java.util.ArrayList;
import java.util.LinkedHashMap;
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
import dev.llmfallback.provider.http.Json;
import dev.llmfallback.provider.http.StreamDecoder;
import dev.llmfallback.provider.http.ToolCallIds;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static dev.llmfallback.provider.MessageFixtures.conversation;
import static dev.llmfallback.provider.MessageFixtures.decode;
import static dev.llmfallback.provider.MessageFixtures.json;
import static dev.llmfallback.provider.MessageFixtures.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * {@link AnthropicMessages} against fixture JSON, without a server. Sources of the fixtures:
 * {@code tools-request.json}, {@code tools-answer.json}: the get_weather example of
 * https://platform.claude.com/docs/en/agents-and-tools/tool-use/implement-tool-use (request with
 * {@code tool_choice} added, response as the page shows it); {@code tools-stream.jsonl}: "Streaming
 * request with tool use" of https://platform.claude.com/docs/en/build-with-claude/streaming (the
 * docs' events, the text delta shortened to two); {@code schema-*}: the contact-extraction example of
 * https://platform.claude.com/docs/en/build-with-claude/structured-outputs, sent the classic way
 * (forced tool, {@link AnthropicTools}), answers shaped as the tool-use page's; {@code history-request.json}:
 * the image blocks of https://platform.claude.com/docs/en/build-with-claude/vision (base64 and URL
 * sources) and the tool_result turn of the tool-use page, for an OpenAI-style history.
 */
class AnthropicMessagesTests {

	private static final Map<String, Object> WEATHER = Map.of("type", "object", "properties",
			new LinkedHashMap<>(Map.of("location",
					Map.of("type", "string", "description", "The city and state, e.g. San Francisco, CA"), "unit",
					Map.of("type", "string", "enum", List.of("celsius", "fahrenheit"), "description",
							"The unit of temperature, either 'celsius' or 'fahrenheit'"))),
			"required", List.of("location"));

	private static final ChatRequest CONTACT = ChatRequest.builder()
		.user("Extract the contact: John Smith (john@example.com) wants the Enterprise plan.")
		.responseFormat(ResponseFormat.jsonSchema("contact",
				Map.of("type", "object", "properties",
						Map.of("name", Map.of("type", "string"), "email", Map.of("type", "string"), "plan_interest",
								Map.of("type", "string")),
						"required", List.of("name", "email", "plan_interest"), "additionalProperties", false),
				true))
		.build();

	private final AnthropicMessages anthropic = new AnthropicMessages();

	@Test
	void bodyOfAConversation() {
		// System messages become "system"; the tool result without a call id is user text; seed has no
		// equivalent, so the request allows dropping it.
		ProviderRequest conversation = conversation("claude-sonnet-4-5");
		assertThat(this.anthropic.unsupportedParams(conversation.request())).containsExactly("seed");
		assertThat(this.anthropic.body(new ProviderRequest("claude-sonnet-4-5", conversation.request(), true), false))
			.isEqualTo(json(getClass(), "request.json"));
	}

	@Test
	void seedWithoutDroppingIsUnsupported() {
		assertThatExceptionOfType(LlmException.class)
			.isThrownBy(() -> this.anthropic.body(conversation("claude-sonnet-4-5"), false))
			.satisfies((ex) -> assertThat(ex.category()).isEqualTo(ErrorCategory.UNSUPPORTED))
			.withMessageContaining("seed");
	}

	@Test
	void specParamsTranslatedOrNamed() {
		ChatRequest chat = ChatRequest.builder()
			.user("Hi")
			.extra("max_completion_tokens", 300)
			.extra("safety_identifier", "hashed-user")
			.extra("stream_options", Map.of("include_usage", true))
			.extra("n", 1)
			.extra("logprobs", false)
			.extra("presence_penalty", 0.5)
			.extra("logit_bias", Map.of("50256", -100))
			.extra("top_k", 5)
			.message(new ChatMessage(Role.USER, List.of(ContentPart.text("again")), List.of(), null, "alice"))
			.build();
		assertThat(this.anthropic.unsupportedParams(chat)).containsExactly("presence_penalty", "logit_bias",
				"messages[].name");
		JsonNode body = this.anthropic.body(new ProviderRequest("claude", chat, true), true);
		assertThat(body.get("max_tokens").asInt()).isEqualTo(300);
		assertThat(body.get("metadata").get("user_id").stringValue()).isEqualTo("hashed-user");
		assertThat(body.get("top_k").asInt()).isEqualTo(5);
		assertThat(body.get("stream").asBoolean()).isTrue();
		assertThat(body.properties()).extracting(Map.Entry::getKey)
			.containsExactly("model", "max_tokens", "messages", "metadata", "stream", "top_k");
		assertThat(body.get("messages").toString()).doesNotContain("alice");
	}

	@Test
	void toolsAndToolChoice() {
		ChatRequest chat = ChatRequest.builder()
			.user("What is the weather like in San Francisco?")
			.maxTokens(1024)
			.tool(Tool.function("get_weather", "Get the current weather in a given location", WEATHER))
			.toolChoice(ToolChoice.REQUIRED)
			.parallelToolCalls(false)
			.build();
		assertThat(this.anthropic.unsupportedParams(chat)).isEmpty();
		assertThat(this.anthropic.body(new ProviderRequest("claude-opus-4-1-20250805", chat), false))
			.isEqualTo(json(getClass(), "tools-request.json"));
	}

	@Test
	void toolChoiceModes() {
		assertThat(choice(ToolChoice.AUTO, null)).isNull();
		assertThat(choice(null, false)).isEqualTo("{\"type\":\"auto\",\"disable_parallel_tool_use\":true}");
		assertThat(choice(ToolChoice.NONE, false)).isEqualTo("{\"type\":\"none\"}");
		assertThat(choice(ToolChoice.named("get_weather"), null))
			.isEqualTo("{\"type\":\"tool\",\"name\":\"get_weather\"}");
		assertThat(choice(ToolChoice.REQUIRED, true)).isEqualTo("{\"type\":\"any\"}");
	}

	private @Nullable String choice(@Nullable ToolChoice choice, @Nullable Boolean parallel) {
		ChatRequest chat = ChatRequest.builder()
			.user("Hi")
			.tool(Tool.function("get_weather", null, Map.of()))
			.toolChoice(choice)
			.parallelToolCalls(parallel)
			.build();
		JsonNode body = this.anthropic.body(new ProviderRequest("claude", chat), false);
		assertThat(body.get("tools").get(0).get("input_schema").toString())
			.isEqualTo("{\"type\":\"object\",\"properties\":{}}");
		return body.has("tool_choice") ? body.get("tool_choice").toString() : null;
	}

	@Test
	void strictToolKeepsStrict() {
		ChatRequest chat = ChatRequest.builder()
			.user("Hi")
			.tool(new Tool("get_weather", null, WEATHER, true))
			.build();
		assertThat(this.anthropic.body(new ProviderRequest("claude", chat), false).get("tools").get(0).get("strict")
			.asBoolean()).isTrue();
	}

	@Test
	void toolWhoseParametersAreNoObjectSchemaIsUnsupported() {
		ChatRequest chat = ChatRequest.builder()
			.user("Hi")
			.tool(Tool.function("list", null, Map.of("type", "array")))
			.tool(Tool.function("get_weather", null, WEATHER))
			.build();
		assertThat(this.anthropic.unsupportedParams(chat)).containsExactly("tools[].function.parameters");
		JsonNode body = this.anthropic.body(new ProviderRequest("claude", chat, true), false);
		assertThat(body.get("tools").valueStream().map((tool) -> tool.get("name").stringValue()))
			.containsExactly("get_weather");
	}

	@Test
	void openAiHistoryHopsWithItsIds() {
		// An OpenAI conversation: call_ ids pass; an id Anthropic's pattern refuses is fitted the same
		// way in the call and in its result; results and the user text after them make one user turn.
		String odd = "call.weird/id:1";
		ChatRequest chat = ChatRequest.builder()
			.system("Use the tools.")
			.message(ChatMessage.user(ContentPart.text("Compare the weather in these two places."),
					ContentPart.imageUrl("data:image/png;base64,iVBORw0KGgo="), ContentPart.imageUrl(
							"https://upload.wikimedia.org/wikipedia/commons/a/a7/Camponotus_flavomarginatus_ant.jpg")))
			.message(ChatMessage.assistant("Checking both.",
					List.of(new ToolCall("call_abc123", "get_weather", "{\"location\":\"Paris\"}"),
							new ToolCall(odd, "get_weather", "{\"location\": \"Oslo\"}"))))
			.message(ChatMessage.toolResult("call_abc123", "{\"temp\": 18}"))
			.message(ChatMessage.toolResult(odd, "{\"temp\": 4}"))
			.user("And in Fahrenheit?")
			.tool(Tool.function("get_weather", null, Map.of("type", "object", "properties",
					Map.of("location", Map.of("type", "string")))))
			.build();
		String fitted = ToolCallIds.fit(odd, AnthropicContent.TOOL_ID);
		assertThat(fitted).matches("[a-zA-Z0-9_-]+").isNotEqualTo(odd);
		JsonNode expected = Json.MAPPER.readTree(text(getClass(), "history-request.json").replace("FITTED", fitted));
		assertThat(this.anthropic.body(new ProviderRequest("claude-sonnet-4-5", chat), false)).isEqualTo(expected);
	}

	@Test
	void invalidArgumentsFromTheCallerAreABadRequest() {
		ChatRequest chat = ChatRequest.builder()
			.user("Hi")
			.message(ChatMessage.assistant(null, List.of(new ToolCall("call_1", "get_weather", "{\"location\":"))))
			.message(ChatMessage.toolResult("call_1", "sunny"))
			.build();
		assertThatExceptionOfType(LlmException.class)
			.isThrownBy(() -> this.anthropic.body(new ProviderRequest("claude", chat), false))
			.satisfies((ex) -> assertThat(ex.category()).isEqualTo(ErrorCategory.BAD_REQUEST));
	}

	@Test
	void toolUseAnswer() {
		ProviderResponse response = this.anthropic.response("p", json(getClass(), "tools-answer.json"));
		assertThat(response.content()).isEqualTo("I'll check the current weather in San Francisco for you.");
		assertThat(response.finishReason()).isEqualTo("tool_calls");
		assertThat(response.toolCalls()).containsExactly(new ToolCall("toolu_01A09q90qw90lq917835lq9", "get_weather",
				"{\"location\":\"San Francisco, CA\",\"unit\":\"celsius\"}"));
	}

	@Test
	void toolUseWithoutAnObjectInputIsInvalidResponse() {
		JsonNode answer = Json.MAPPER.readTree(text(getClass(), "tools-answer.json")
			.replace("{\"location\": \"San Francisco, CA\", \"unit\": \"celsius\"}", "\"San Francisco\""));
		assertThatExceptionOfType(LlmException.class).isThrownBy(() -> this.anthropic.response("p", answer))
			.satisfies((ex) -> assertThat(ex.category()).isEqualTo(ErrorCategory.INVALID_RESPONSE));
	}

	@Test
	void toolUseStream() {
		List<ProviderChunk> chunks = decode(this.anthropic.decoder(conversation("claude"), "p", null), getClass(),
				"tools-stream.jsonl");
		assertThat(chunks).containsExactly(ProviderChunk.text("Okay"),
				ProviderChunk.text(", let's check the weather for San Francisco, CA:"),
				ProviderChunk.toolCalls(List.of(new ToolCall.Delta(0, "toolu_01T1x1fJ34qAmk2tNTrN7Up6", "get_weather", ""))),
				fragment("{\"location\":"), fragment(" \"San"), fragment(" Francisc"), fragment("o,"),
				fragment(" CA\""), fragment(", "), fragment("\"unit\": \"fah"), fragment("renheit\"}"),
				new ProviderChunk("", "tool_calls", "claude-opus-4-1-20250805", new Usage(472, 89, 561)));
	}

	@Test
	void parallelToolCallsAreNumberedAmongToolCallsNotBlocks() {
		StreamDecoder decoder = this.anthropic.decoder(conversation("claude"), "p", null);
		List<ProviderChunk> chunks = new ArrayList<>();
		for (String event : List.of(
				"{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}",
				"{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"Both.\"}}",
				"{\"type\":\"content_block_start\",\"index\":1,\"content_block\":{\"type\":\"tool_use\",\"id\":\"toolu_a\",\"name\":\"get_weather\",\"input\":{}}}",
				"{\"type\":\"content_block_start\",\"index\":2,\"content_block\":{\"type\":\"tool_use\",\"id\":\"toolu_b\",\"name\":\"get_time\",\"input\":{}}}",
				"{\"type\":\"content_block_delta\",\"index\":2,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"{}\"}}",
				"{\"type\":\"content_block_delta\",\"index\":1,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"{\\\"location\\\":\\\"Oslo\\\"}\"}}",
				"{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"tool_use\"}}", "{\"type\":\"message_stop\"}")) {
			decoder.onEvent(null, Json.MAPPER.readTree(event), chunks::add);
		}
		chunks.add(decoder.finish());
		assertThat(chunks).containsExactly(ProviderChunk.text("Both."),
				ProviderChunk.toolCalls(List.of(new ToolCall.Delta(0, "toolu_a", "get_weather", ""))),
				ProviderChunk.toolCalls(List.of(new ToolCall.Delta(1, "toolu_b", "get_time", ""))),
				ProviderChunk.toolCalls(List.of(new ToolCall.Delta(1, null, null, "{}"))),
				ProviderChunk.toolCalls(List.of(new ToolCall.Delta(0, null, null, "{\"location\":\"Oslo\"}"))),
				new ProviderChunk("", "tool_calls", null, null));
	}

	private static ProviderChunk fragment(String arguments) {
		return ProviderChunk.toolCalls(List.of(new ToolCall.Delta(0, null, null, arguments)));
	}

	@Test
	void jsonSchemaGoesThroughAForcedTool() {
		ProviderRequest request = new ProviderRequest("claude-sonnet-4-5", CONTACT);
		assertThat(this.anthropic.unsupportedParams(CONTACT)).isEmpty();
		assertThat(this.anthropic.body(request, false)).isEqualTo(json(getClass(), "schema-request.json"));
	}

	@Test
	void jsonSchemaAnswerIsTheToolInputAsText() {
		ProviderResponse response = AnthropicMessages.answerAsText(
				this.anthropic.response("p", json(getClass(), "schema-answer.json")), "contact");
		assertThat(response.content())
			.isEqualTo("{\"name\":\"John Smith\",\"email\":\"john@example.com\",\"plan_interest\":\"Enterprise\"}");
		assertThat(response.finishReason()).isEqualTo("stop");
		assertThat(response.toolCalls()).isEmpty();
	}

	@Test
	void jsonSchemaStreamIsText() {
		List<ProviderChunk> chunks = decode(
				this.anthropic.decoder(new ProviderRequest("claude-sonnet-4-5", CONTACT), "p", null), getClass(),
				"schema-stream.jsonl");
		assertThat(chunks).containsExactly(ProviderChunk.text("{\"name\": \"John Smith\", "),
				ProviderChunk.text("\"email\": \"john@example.com\", \"plan_interest\": \"Enterprise\"}"),
				new ProviderChunk("", "stop", "claude-sonnet-4-5-20250929", new Usage(410, 60, 470)));
	}

	@Test
	void jsonObjectGoesThroughAnOpenTool() {
		ChatRequest chat = ChatRequest.builder().user("List three colours as JSON.").responseFormat(ResponseFormat.JSON_OBJECT).build();
		JsonNode body = this.anthropic.body(new ProviderRequest("claude", chat), false);
		assertThat(body.get("tools").get(0).get("name").stringValue()).isEqualTo("json_object");
		assertThat(body.get("tools").get(0).get("input_schema").toString()).isEqualTo("{\"type\":\"object\",\"properties\":{}}");
		assertThat(body.get("tool_choice").toString()).isEqualTo("{\"type\":\"tool\",\"name\":\"json_object\"}");
	}

	@Test
	void responseFormatBesideTheCallersToolsLetsTheModelChoose() {
		ChatRequest chat = CONTACT.toBuilder().tool(Tool.function("get_weather", null, WEATHER)).build();
		JsonNode body = this.anthropic.body(new ProviderRequest("claude", chat), false);
		assertThat(body.get("tools").valueStream().map((tool) -> tool.get("name").stringValue()))
			.containsExactly("get_weather", "contact");
		assertThat(body.get("tool_choice").toString()).isEqualTo("{\"type\":\"any\"}");
	}

	@Test
	void responseFormatThatCannotBeAToolIsUnsupported() {
		ChatRequest array = ChatRequest.builder()
			.user("Hi")
			.responseFormat(ResponseFormat.jsonSchema("list", Map.of("type", "array"), false))
			.build();
		assertThat(this.anthropic.unsupportedParams(array)).containsExactly("response_format");
		assertThat(this.anthropic.body(new ProviderRequest("claude", array, true), false).has("tools")).isFalse();
		ChatRequest clash = CONTACT.toBuilder().tool(Tool.function("contact", null, Map.of())).build();
		assertThat(this.anthropic.unsupportedParams(clash)).containsExactly("response_format");
		// Extended thinking refuses a forced tool choice.
		ChatRequest thinking = CONTACT.toBuilder().extra("thinking", Map.of("type", "enabled", "budget_tokens", 2048)).build();
		assertThat(this.anthropic.unsupportedParams(thinking)).containsExactly("response_format");
		ChatRequest noThinking = CONTACT.toBuilder().extra("thinking", Map.of("type", "disabled")).build();
		assertThat(this.anthropic.unsupportedParams(noThinking)).isEmpty();
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
