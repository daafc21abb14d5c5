package dev.llmfallback.provider;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import dev.llmfallback.ChatMessage;
import dev.llmfallback.ChatRequest;
import dev.llmfallback.ChatResponse;
import dev.llmfallback.Tool;
import dev.llmfallback.ToolCall;
import dev.llmfallback.engine.FallbackEngine;
import dev.llmfallback.policy.FallbackPolicy;
import dev.llmfallback.policy.ModelDefinition;
import dev.llmfallback.provider.StubServer.Reply;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 13, point 4: a hop in the middle of a tool loop keeps its meaning. For each pair of wire
 * formats, turn one is served by a model on the source format, which calls the same tool twice
 * (Paris, then London) with ids of its own style; turn two sends both results back, the source
 * model fails with a 503, and a model on the target format serves the conversation. The target's
 * request body, read back from its loopback server, must link every result to its call by the
 * target's own rule (ids, or names in order where the format has no ids), so that Paris's result
 * meets Paris's call. Real HTTP, through the engine.
 */
class ToolCallHopTests {

	private static final JsonMapper JSON = JsonMapper.shared();

	private static final List<String> FORMATS = List.of("openai", "azure-openai", "anthropic", "gemini", "cohere",
			"ollama");

	private final List<AutoCloseable> resources = new ArrayList<>();

	static Stream<Arguments> pairs() {
		return FORMATS.stream()
			.flatMap((source) -> FORMATS.stream()
				.filter((target) -> !target.equals(source))
				.map((target) -> Arguments.of(source, target)));
	}

	@AfterEach
	void close() throws Exception {
		for (AutoCloseable resource : this.resources) {
			resource.close();
		}
	}

	@ParameterizedTest(name = "{0} -> {1}")
	@MethodSource("pairs")
	void everyResultStillMeetsItsCallAfterAHop(String source, String target) {
		StubServer sourceServer = server();
		StubServer targetServer = server();
		FallbackEngine engine = FallbackEngine.builder()
			.provider(provider("src", source, sourceServer))
			.provider(provider("dst", target, targetServer))
			.model(ModelDefinition.builder("first").provider("src").model("hop-source-model").build())
			.model(ModelDefinition.builder("second").provider("dst").model("hop-target-model").build())
			.policy(FallbackPolicy.builder("chain").models("first", "second").retryOn().build())
			.defaultPolicy("chain")
			.build();
		Tool weather = Tool.function("get_weather", "Current weather in a city",
				Map.of("type", "object", "properties", Map.of("city", Map.of("type", "string")), "required",
						List.of("city")));
		ChatRequest first = ChatRequest.builder().user("Weather in Paris and London?").tool(weather).build();

		sourceServer.enqueue(Reply.json(200, toolCallAnswer(source)));
		ChatResponse calls = engine.chatService().chat(first).block(Duration.ofSeconds(10));
		assertThat(calls.servedBy()).isEqualTo("first");
		assertThat(calls.finishReason()).isEqualTo("tool_calls");
		assertThat(calls.toolCalls()).extracting(ToolCall::name).containsExactly("get_weather", "get_weather");
		assertThat(calls.toolCalls()).extracting(ToolCall::id).doesNotHaveDuplicates();

		ChatRequest.Builder second = first.toBuilder().message(calls.message());
		for (ToolCall call : calls.toolCalls()) {
			String city = JSON.readTree(call.arguments()).path("city").asString();
			second.message(ChatMessage.toolResult(call.id(), "{\"city\":\"" + city + "\",\"weather\":\"sunny in " + city + "\"}"));
		}
		sourceServer.enqueue(Reply.json(503, "{\"error\":{\"message\":\"overloaded\"}}"));
		targetServer.enqueue(Reply.json(200, textAnswer(target)));
		ChatResponse answer = engine.chatService().chat(second.build()).block(Duration.ofSeconds(10));
		assertThat(answer.servedBy()).isEqualTo("second");

		sourceServer.takeRequest();
		sourceServer.takeRequest();
		JsonNode body = targetServer.takeRequest().json();
		List<Link> links = links(target, body);
		assertThat(links).as("results linked to calls in the %s body %s", target, body).hasSize(2);
		for (Link link : links) {
			assertThat(link.result()).as("the result of the call for %s", link.city()).contains("sunny in " + link.city());
		}
		assertThat(links).extracting(Link::city).containsExactly("Paris", "London");
	}

	private StubServer server() {
		StubServer server = StubServer.start();
		this.resources.add(server);
		return server;
	}

	private ChatProvider provider(String name, String type, StubServer server) {
		ChatProvider provider = ChatProviders.create(
				ProviderSettings.builder(name, type).baseUrl(server.url()).apiKey("sk-test-hop").build(), null, null);
		if (provider instanceof AutoCloseable closeable) {
			this.resources.add(closeable);
		}
		return provider;
	}

	/** A result linked to a call by the target format's own rule: the call's city, the result's text. */
	record Link(String city, String result) {
	}

	/** Turn one's answer in the source format: two calls of get_weather, ids in the format's style. */
	private static String toolCallAnswer(String format) {
		return switch (format) {
			case "openai", "azure-openai" -> """
					{"id": "chatcmpl-1", "object": "chat.completion", "created": 1, "model": "hop-source-model",
					 "choices": [{"index": 0, "finish_reason": "tool_calls", "message": {"role": "assistant", "content": null,
					   "tool_calls": [
					     {"id": "call_Paris7dXq2", "type": "function", "function": {"name": "get_weather", "arguments": "{\\"city\\":\\"Paris\\"}"}},
					     {"id": "call:london/1.b", "type": "function", "function": {"name": "get_weather", "arguments": "{\\"city\\":\\"London\\"}"}}]}}],
					 "usage": {"prompt_tokens": 10, "completion_tokens": 5, "total_tokens": 15}}
					""";
			case "anthropic" -> """
					{"id": "msg_01", "type": "message", "role": "assistant", "model": "hop-source-model",
					 "content": [{"type": "text", "text": "Let me look both up."},
					   {"type": "tool_use", "id": "toolu_01A09q90qw90lq917835lq9", "name": "get_weather", "input": {"city": "Paris"}},
					   {"type": "tool_use", "id": "toolu_01B17x20zz91mq028946mr0", "name": "get_weather", "input": {"city": "London"}}],
					 "stop_reason": "tool_use", "usage": {"input_tokens": 10, "output_tokens": 5}}
					""";
			case "gemini" -> """
					{"candidates": [{"content": {"role": "model", "parts": [
					   {"functionCall": {"name": "get_weather", "args": {"city": "Paris"}}},
					   {"functionCall": {"name": "get_weather", "args": {"city": "London"}}}]},
					  "finishReason": "STOP", "index": 0}],
					 "usageMetadata": {"promptTokenCount": 10, "candidatesTokenCount": 5, "totalTokenCount": 15},
					 "modelVersion": "hop-source-model"}
					""";
			case "cohere" -> """
					{"id": "c-1", "finish_reason": "TOOL_CALL",
					 "message": {"role": "assistant", "tool_plan": "I will look up the weather in both cities.",
					   "tool_calls": [
					     {"id": "get_weather_1byjy32y4hvq", "type": "function", "function": {"name": "get_weather", "arguments": "{\\"city\\":\\"Paris\\"}"}},
					     {"id": "get_weather_9z5kq0rtqwmd", "type": "function", "function": {"name": "get_weather", "arguments": "{\\"city\\":\\"London\\"}"}}]},
					 "usage": {"billed_units": {"input_tokens": 10, "output_tokens": 5}, "tokens": {"input_tokens": 10, "output_tokens": 5}}}
					""";
			case "ollama" -> """
					{"model": "hop-source-model", "created_at": "2024-07-22T20:33:28.123648Z",
					 "message": {"role": "assistant", "content": "",
					   "tool_calls": [{"function": {"name": "get_weather", "arguments": {"city": "Paris"}}},
					                  {"function": {"name": "get_weather", "arguments": {"city": "London"}}}]},
					 "done_reason": "stop", "done": true, "prompt_eval_count": 10, "eval_count": 5}
					""";
			default -> throw new IllegalArgumentException(format);
		};
	}

	/** Turn two's answer in the target format: plain text. */
	private static String textAnswer(String format) {
		return switch (format) {
			case "openai", "azure-openai" -> """
					{"id": "chatcmpl-2", "object": "chat.completion", "created": 1, "model": "hop-target-model",
					 "choices": [{"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": "Sunny in both."}}]}
					""";
			case "anthropic" -> """
					{"id": "msg_02", "type": "message", "role": "assistant", "model": "hop-target-model",
					 "content": [{"type": "text", "text": "Sunny in both."}], "stop_reason": "end_turn",
					 "usage": {"input_tokens": 20, "output_tokens": 4}}
					""";
			case "gemini" -> """
					{"candidates": [{"content": {"role": "model", "parts": [{"text": "Sunny in both."}]}, "finishReason": "STOP"}]}
					""";
			case "cohere" -> """
					{"id": "c-2", "finish_reason": "COMPLETE", "message": {"role": "assistant", "content": [{"type": "text", "text": "Sunny in both."}]}}
					""";
			case "ollama" -> """
					{"model": "hop-target-model", "message": {"role": "assistant", "content": "Sunny in both."}, "done_reason": "stop", "done": true}
					""";
			default -> throw new IllegalArgumentException(format);
		};
	}

	/** Reads the target's body back: each result, linked to its call by the format's own rule. */
	private static List<Link> links(String format, JsonNode body) {
		return switch (format) {
			case "openai", "azure-openai", "cohere" -> linksById(body.path("messages"), (message) -> message.path("tool_calls"),
					(call) -> call.path("id").asString(), (call) -> JSON.readTree(call.path("function").path("arguments").asString()),
					(message) -> "tool".equals(message.path("role").asString()),
					(message) -> message.path("tool_call_id").asString(), (message) -> message.path("content").toString());
			case "anthropic" -> anthropicLinks(body.path("messages"));
			case "gemini" -> geminiLinks(body.path("contents"));
			case "ollama" -> ollamaLinks(body.path("messages"));
			default -> throw new IllegalArgumentException(format);
		};
	}

	private static List<Link> linksById(JsonNode messages, java.util.function.Function<JsonNode, JsonNode> callsOf,
			java.util.function.Function<JsonNode, String> idOf, java.util.function.Function<JsonNode, JsonNode> argsOf,
			java.util.function.Predicate<JsonNode> isResult, java.util.function.Function<JsonNode, String> resultId,
			java.util.function.Function<JsonNode, String> resultText) {
		Map<String, String> cityById = new java.util.HashMap<>();
		List<Link> links = new ArrayList<>();
		for (JsonNode message : messages) {
			for (JsonNode call : callsOf.apply(message)) {
				cityById.put(idOf.apply(call), argsOf.apply(call).path("city").asString());
			}
			if (isResult.test(message)) {
				String city = cityById.get(resultId.apply(message));
				links.add(new Link(String.valueOf(city), resultText.apply(message)));
			}
		}
		return links;
	}

	private static List<Link> anthropicLinks(JsonNode messages) {
		Map<String, String> cityById = new java.util.HashMap<>();
		List<Link> links = new ArrayList<>();
		for (JsonNode message : messages) {
			for (JsonNode block : message.path("content")) {
				String type = block.path("type").asString();
				if ("tool_use".equals(type)) {
					cityById.put(block.path("id").asString(), block.path("input").path("city").asString());
				}
				else if ("tool_result".equals(type)) {
					links.add(new Link(String.valueOf(cityById.get(block.path("tool_use_id").asString())),
							block.path("content").toString()));
				}
			}
		}
		return links;
	}

	/** Gemini links a functionResponse to a functionCall by id where both carry one, else by name in order. */
	private static List<Link> geminiLinks(JsonNode contents) {
		List<JsonNode> calls = new ArrayList<>();
		List<Link> links = new ArrayList<>();
		int answered = 0;
		for (JsonNode content : contents) {
			for (JsonNode part : content.path("parts")) {
				if (part.has("functionCall")) {
					calls.add(part.path("functionCall"));
				}
				else if (part.has("functionResponse")) {
					JsonNode response = part.path("functionResponse");
					JsonNode call = null;
					if (response.hasNonNull("id")) {
						for (JsonNode candidate : calls) {
							if (response.path("id").asString().equals(candidate.path("id").asString())) {
								call = candidate;
							}
						}
					}
					else {
						while (answered < calls.size() && call == null) {
							JsonNode candidate = calls.get(answered++);
							if (candidate.path("name").asString().equals(response.path("name").asString())) {
								call = candidate;
							}
						}
					}
					links.add(new Link((call != null) ? call.path("args").path("city").asString() : "null",
							response.path("response").toString()));
				}
			}
		}
		return links;
	}

	/** Ollama links a tool message to a call by tool name, in order. */
	private static List<Link> ollamaLinks(JsonNode messages) {
		List<JsonNode> calls = new ArrayList<>();
		List<Link> links = new ArrayList<>();
		int answered = 0;
		for (JsonNode message : messages) {
			for (JsonNode call : message.path("tool_calls")) {
				calls.add(call.path("function"));
			}
			if ("tool".equals(message.path("role").asString())) {
				JsonNode call = null;
				while (answered < calls.size() && call == null) {
					JsonNode candidate = calls.get(answered++);
					if (candidate.path("name").asString().equals(message.path("tool_name").asString())) {
						call = candidate;
					}
				}
				links.add(new Link((call != null) ? call.path("arguments").path("city").asString() : "null",
						message.path("content").asString()));
			}
		}
		return links;
	}

}
