package dev.llmfallback.springai;

import java.util.concurrent.atomic.AtomicInteger;

import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import tools.jackson.databind.JsonNode;

import dev.llmfallback.provider.http.Json;

/**
 * Real HTTP on loopback: {@code /down/v1/...} answers 503 in OpenAI's format; {@code /v1/messages}
 * is an Anthropic model that asks for tool {@code weather} and then repeats the tool's result;
 * {@code /up/v1/embeddings} and {@code /up/v1/chat/completions} answer in OpenAI's format.
 */
public final class LoopbackLlm implements AutoCloseable {

	public final AtomicInteger down = new AtomicInteger();

	public final AtomicInteger anthropic = new AtomicInteger();

	private final DisposableServer server = HttpServer.create()
		.host("127.0.0.1")
		.port(0)
		.route((routes) -> routes.post("/down/v1/chat/completions", this::unavailable)
			.post("/down/v1/embeddings", this::unavailable)
			.post("/v1/messages", this::anthropic)
			.post("/up/v1/embeddings", (request, response) -> json(response, """
					{"object":"list","model":"text-embedding-3-small","data":[
					 {"object":"embedding","index":0,"embedding":[0.1,0.2,0.3]},
					 {"object":"embedding","index":1,"embedding":[0.4,0.5,0.6]}],
					 "usage":{"prompt_tokens":4,"total_tokens":4}}"""))
			.post("/up/v1/chat/completions", (request, response) -> request.receive().aggregate().asString()
				.flatMap((body) -> Json.MAPPER.readTree(body).path("stream").asBoolean(false)
						? sse(response, openAiStream()) : json(response, openAiAnswer(body)))))
		.bindNow();

	public int port() {
		return this.server.port();
	}

	public String[] properties() {
		String base = "http://127.0.0.1:" + port();
		return new String[] { "llm.fallback.providers.down.type=openai", "llm.fallback.providers.down.base-url=" + base + "/down/v1",
				"llm.fallback.providers.down.api-key=sk-test", "llm.fallback.providers.claude.type=anthropic",
				"llm.fallback.providers.claude.base-url=" + base, "llm.fallback.providers.claude.api-key=sk-ant-test",
				"llm.fallback.providers.up.type=openai", "llm.fallback.providers.up.base-url=" + base + "/up/v1",
				"llm.fallback.providers.up.api-key=sk-test",
				"llm.fallback.models.primary.provider=down", "llm.fallback.models.primary.model=gpt-4o-mini",
				"llm.fallback.models.claude.provider=claude", "llm.fallback.models.claude.model=claude-sonnet-4-5",
				"llm.fallback.models.vectors-down.provider=down", "llm.fallback.models.vectors-down.model=text-embedding-3-small",
				"llm.fallback.models.vectors-down.type=embedding", "llm.fallback.models.vectors-down.dimensions=3",
				"llm.fallback.models.vectors-up.provider=up", "llm.fallback.models.vectors-up.model=text-embedding-3-small",
				"llm.fallback.models.vectors-up.type=embedding", "llm.fallback.models.vectors-up.dimensions=3",
				"llm.fallback.policies.chat.models=primary,claude", "llm.fallback.policies.chat.retry.max-retries=0",
				"llm.fallback.policies.embed.models=vectors-down,vectors-up", "llm.fallback.policies.embed.retry.max-retries=0",
				"llm.fallback.default-policy=chat", "llm.fallback.default-embedding-policy=embed" };
	}

	private Mono<Void> unavailable(HttpServerRequest request, HttpServerResponse response) {
		this.down.incrementAndGet();
		return request.receive().then(response.status(503).header("content-type", "application/json")
			.sendString(Mono.just("{\"error\":{\"message\":\"The server is overloaded\",\"type\":\"server_error\"}}"))
			.then());
	}

	private Mono<Void> anthropic(HttpServerRequest request, HttpServerResponse response) {
		this.anthropic.incrementAndGet();
		return request.receive().aggregate().asString().flatMap((text) -> {
			JsonNode body = Json.MAPPER.readTree(text);
			String toolResult = toolResult(body);
			boolean stream = body.path("stream").asBoolean(false);
			if (toolResult == null && body.path("tools").size() > 0) {
				return stream ? sse(response, toolUseEvents()) : json(response, """
						{"id":"msg_1","type":"message","role":"assistant","model":"claude-sonnet-4-5",
						 "content":[{"type":"tool_use","id":"toolu_01","name":"weather","input":{"city":"Paris"}}],
						 "stop_reason":"tool_use","usage":{"input_tokens":20,"output_tokens":7}}""");
			}
			String answer = (toolResult != null) ? "The weather tool says: " + toolResult : schemaAnswer(body);
			String quoted = Json.MAPPER.writeValueAsString(answer);
			return stream ? sse(response, textEvents(quoted)) : json(response, """
					{"id":"msg_2","type":"message","role":"assistant","model":"claude-sonnet-4-5",
					 "content":[{"type":"text","text":%s}],
					 "stop_reason":"end_turn","usage":{"input_tokens":30,"output_tokens":9}}""".formatted(quoted));
		});
	}

	/** A request asking for JSON (Spring AI's format instructions) gets a city record. */
	private static String schemaAnswer(JsonNode body) {
		return body.toString().contains("JSON") ? "{\"name\":\"Paris\",\"country\":\"France\"}" : "Hello from Claude";
	}

	private static String openAiAnswer(String text) {
		JsonNode body = Json.MAPPER.readTree(text);
		if (body.path("tools").size() > 0) {
			String tool = body.path("tools").get(0).path("function").path("name").asString("");
			return """
					{"id":"chatcmpl-2","object":"chat.completion","created":1,"model":"gpt-4o-mini",
					 "choices":[{"index":0,"message":{"role":"assistant","content":null,"tool_calls":[
					  {"id":"call_up_1","type":"function","function":{"name":"%s","arguments":"{\\"city\\":\\"Paris\\"}"}}]},
					  "finish_reason":"tool_calls"}],
					 "usage":{"prompt_tokens":15,"completion_tokens":6,"total_tokens":21}}""".formatted(tool);
		}
		return """
				{"id":"chatcmpl-1","object":"chat.completion","created":1,"model":"gpt-4o-mini",
				 "choices":[{"index":0,"message":{"role":"assistant","content":"Hello from up"},"finish_reason":"stop"}],
				 "usage":{"prompt_tokens":5,"completion_tokens":3,"total_tokens":8}}""";
	}

	private static String openAiStream() {
		String head = "{\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"gpt-4o-mini\",\"choices\":";
		return "data: " + head + "[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"Hello \"}}]}\n\n"
				+ "data: " + head + "[{\"index\":0,\"delta\":{\"content\":\"from up\"},\"finish_reason\":\"stop\"}]}\n\n"
				+ "data: " + head + "[],\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":3,\"total_tokens\":8}}\n\n"
				+ "data: [DONE]\n\n";
	}

	private static String toolResult(JsonNode body) {
		for (JsonNode message : body.path("messages")) {
			for (JsonNode block : message.path("content")) {
				if ("tool_result".equals(block.path("type").asString(""))) {
					JsonNode content = block.path("content");
					if (content.isString()) {
						return content.asString();
					}
					StringBuilder text = new StringBuilder();
					content.forEach((part) -> text.append(part.path("text").asString("")));
					return text.toString();
				}
			}
		}
		return null;
	}

	private static String toolUseEvents() {
		return event("message_start", "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude-sonnet-4-5\",\"content\":[],\"usage\":{\"input_tokens\":20,\"output_tokens\":1}}}")
				+ event("content_block_start", "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"tool_use\",\"id\":\"toolu_01\",\"name\":\"weather\",\"input\":{}}}")
				+ event("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"{\\\"city\\\":\"}}")
				+ event("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"\\\"Paris\\\"}\"}}")
				+ event("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}")
				+ event("message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"tool_use\"},\"usage\":{\"output_tokens\":7}}")
				+ event("message_stop", "{\"type\":\"message_stop\"}");
	}

	private static String textEvents(String quoted) {
		return event("message_start", "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_2\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude-sonnet-4-5\",\"content\":[],\"usage\":{\"input_tokens\":30,\"output_tokens\":1}}}")
				+ event("content_block_start", "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}")
				+ event("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":" + quoted + "}}")
				+ event("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}")
				+ event("message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\"},\"usage\":{\"output_tokens\":9}}")
				+ event("message_stop", "{\"type\":\"message_stop\"}");
	}

	private static String event(String name, String data) {
		return "event: " + name + "\ndata: " + data + "\n\n";
	}

	private static Mono<Void> json(HttpServerResponse response, String body) {
		return response.header("content-type", "application/json").sendString(Mono.just(body)).then();
	}

	private static Mono<Void> sse(HttpServerResponse response, String events) {
		return response.header("content-type", "text/event-stream").sendString(Mono.just(events)).then();
	}

	@Override
	public void close() {
		this.server.disposeNow();
	}

}
