package dev.llmfallback.provider.anthropic;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import dev.llmfallback.ChatRequest;
import dev.llmfallback.ErrorCategory;
import dev.llmfallback.LlmException;
import dev.llmfallback.LlmException.ClassificationBasis;
import dev.llmfallback.ResponseFormat;
import dev.llmfallback.Tool;
import dev.llmfallback.ToolCall;
import dev.llmfallback.Usage;
import dev.llmfallback.provider.AbstractProviderTests;
import dev.llmfallback.provider.ErrorCase;
import dev.llmfallback.provider.ProviderChunk;
import dev.llmfallback.provider.ProviderRequest;
import dev.llmfallback.provider.ProviderResponse;
import dev.llmfallback.provider.StubServer.Recorded;
import dev.llmfallback.provider.StubServer.Reply;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import reactor.test.StepVerifier;
import tools.jackson.databind.JsonNode;

import static dev.llmfallback.provider.Failures.expectFailure;
import static dev.llmfallback.provider.MessageFixtures.text;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link AnthropicChatProvider} against a loopback server replaying the Messages API wire format
 * (https://docs.claude.com/en/api/messages, https://docs.claude.com/en/docs/build-with-claude/streaming,
 * https://docs.claude.com/en/api/errors).
 */
class AnthropicChatProviderTests extends AbstractProviderTests {

	// https://docs.claude.com/en/api/messages (response example)
	private static final String MESSAGE = """
			{"id": "msg_013Zva2CMHLNnXjNJJKqJ2EF", "type": "message", "role": "assistant",
			 "model": "claude-sonnet-4-5-20250929",
			 "content": [{"type": "text", "text": "Hi! My name is Claude."}],
			 "stop_reason": "end_turn", "stop_sequence": null,
			 "usage": {"input_tokens": 2095, "output_tokens": 503, "cache_creation_input_tokens": 0, "cache_read_input_tokens": 0}}
			""";

	// https://docs.claude.com/en/docs/build-with-claude/streaming (basic streaming request)
	private static final String STREAM = """
			event: message_start
			data: {"type": "message_start", "message": {"id": "msg_1nZdL29xx5MUA1yADyHTEsnR8uuvGzszyY", "type": "message", "role": "assistant", "content": [], "model": "claude-opus-4-1-20250805", "stop_reason": null, "stop_sequence": null, "usage": {"input_tokens": 25, "output_tokens": 1}}}

			event: content_block_start
			data: {"type": "content_block_start", "index": 0, "content_block": {"type": "text", "text": ""}}

			event: ping
			data: {"type": "ping"}

			event: content_block_delta
			data: {"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": "Hello"}}

			event: content_block_delta
			data: {"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": "!"}}

			event: content_block_stop
			data: {"type": "content_block_stop", "index": 0}

			event: message_delta
			data: {"type": "message_delta", "delta": {"stop_reason": "end_turn", "stop_sequence":null}, "usage": {"output_tokens": 15}}

			event: message_stop
			data: {"type": "message_stop"}

			""";

	@Override
	protected String plainAnswer() {
		return MESSAGE;
	}

	@Override
	protected String errorBody(String message) {
		return "{\"type\": \"error\", \"error\": {\"type\": \"invalid_request_error\", \"message\": " + quote(message) + "}}";
	}

	@Override
	protected String type() {
		return "anthropic";
	}

	@Override
	protected String truncatedStream() {
		return STREAM.substring(0, STREAM.indexOf("event: message_stop"));
	}

	@Test
	void chatSendsTheMessagesRequest() {
		this.server.enqueue(Reply.json(200, MESSAGE));
		ChatRequest chat = ChatRequest.builder()
			.system("Be brief.")
			.user("Hi")
			.assistant("Hello")
			.user("Again")
			.temperature(0.3)
			.topP(0.8)
			.stop("END")
			.endUser("user-1")
			.extra("top_k", 5)
			.build();
		StepVerifier.create(provider().chat(new ProviderRequest("claude-haiku-4-5", chat))).expectNextCount(1).verifyComplete();
		Recorded request = this.server.takeRequest();
		assertThat(request.uri()).isEqualTo("/v1/messages");
		assertThat(request.header("x-api-key")).isEqualTo(KEY);
		assertThat(request.header("anthropic-version")).isEqualTo("2023-06-01");
		assertThat(request.header("Authorization")).isNull();
		JsonNode body = request.json();
		assertThat(body.get("model").stringValue()).isEqualTo("claude-haiku-4-5");
		assertThat(body.get("system").stringValue()).isEqualTo("Be brief.");
		assertThat(body.get("messages").findValuesAsString("role")).containsExactly("user", "assistant", "user");
		assertThat(body.get("max_tokens").asInt()).isEqualTo(AnthropicChatProvider.DEFAULT_MAX_TOKENS);
		assertThat(body.get("temperature").asDouble()).isEqualTo(0.3);
		assertThat(body.get("top_p").asDouble()).isEqualTo(0.8);
		assertThat(body.get("stop_sequences").toString()).isEqualTo("[\"END\"]");
		assertThat(body.get("metadata").get("user_id").stringValue()).isEqualTo("user-1");
		assertThat(body.get("top_k").asInt()).isEqualTo(5);
	}

	@Test
	void requestedMaxTokensIsSent() {
		this.server.enqueue(Reply.json(200, MESSAGE));
		provider().chat(new ProviderRequest("claude", ChatRequest.builder().user("Hi").maxTokens(50).build()))
			.block(Duration.ofSeconds(10));
		assertThat(this.server.takeRequest().json().get("max_tokens").asInt()).isEqualTo(50);
	}

	@Test
	void chatMapsTheAnswer() {
		this.server.enqueue(Reply.json(200, MESSAGE));
		ProviderResponse response = provider().chat(request("Hi")).block(Duration.ofSeconds(10));
		assertThat(response.content()).isEqualTo("Hi! My name is Claude.");
		assertThat(response.finishReason()).isEqualTo("stop");
		assertThat(response.providerModel()).isEqualTo("claude-sonnet-4-5-20250929");
		assertThat(response.usage()).isEqualTo(Usage.of(2095, 503));
	}

	@Test
	void maxTokensStopReasonIsLength() {
		this.server.enqueue(Reply.json(200, MESSAGE.replace("end_turn", "max_tokens")));
		assertThat(provider().chat(request("Hi")).block(Duration.ofSeconds(10)).finishReason()).isEqualTo("length");
	}

	@Test
	void streamEmitsDeltasThenTheFinalChunk() {
		this.server.enqueue(Reply.split("text/event-stream", STREAM, 11));
		List<ProviderChunk> chunks = provider().stream(request("Hi")).collectList().block(Duration.ofSeconds(10));
		assertThat(chunks).extracting(ProviderChunk::delta).containsExactly("Hello", "!", "");
		ProviderChunk last = chunks.get(2);
		assertThat(last.finishReason()).isEqualTo("stop");
		assertThat(last.usage()).isEqualTo(Usage.of(25, 15));
		assertThat(last.providerModel()).isEqualTo("claude-opus-4-1-20250805");
		assertThat(this.server.takeRequest().json().get("stream").asBoolean()).isTrue();
	}

	@Test
	void overloadedErrorEventInsideTheStreamIsServiceUnavailable() {
		// https://docs.claude.com/en/docs/build-with-claude/streaming#error-events
		this.server.enqueue(Reply.sse(STREAM.substring(0, STREAM.indexOf("event: content_block_stop")),
				"event: error\ndata: {\"type\": \"error\", \"error\": {\"type\": \"overloaded_error\", \"message\": \"Overloaded\"}}\n\n"));
		StepVerifier.create(provider().stream(request("Hi")))
			.expectNext(ProviderChunk.text("Hello"), ProviderChunk.text("!"))
			.expectErrorSatisfies((failure) -> {
				LlmException exception = (LlmException) failure;
				assertThat(exception.category()).isEqualTo(ErrorCategory.SERVICE_UNAVAILABLE);
				assertThat(exception.basis()).isEqualTo(ClassificationBasis.CODE);
				assertThat(exception.errorCode()).isEqualTo("overloaded_error");
			})
			.verify(Duration.ofSeconds(10));
	}

	@Test
	void errorStatusAnsweredAsAnEventStreamIsReadFromItsDataLine() {
		this.server.enqueue(Reply.body(529, "text/event-stream",
				"event: error\ndata: {\"type\": \"error\", \"error\": {\"type\": \"overloaded_error\", \"message\": \"Overloaded\"}}\n\n"));
		LlmException failure = expectFailure(provider().stream(request("Hi")), ErrorCategory.SERVICE_UNAVAILABLE,
				ClassificationBasis.CODE);
		assertThat(failure.getMessage()).endsWith(": Overloaded");
	}

	@Test
	void refusalWithoutTextIsContentPolicy() {
		// stop_reason "refusal": https://docs.claude.com/en/docs/test-and-evaluate/strengthen-guardrails/handle-streaming-refusals
		this.server.enqueue(Reply.json(200, """
				{"id":"msg_1","type":"message","role":"assistant","model":"claude-sonnet-4-5","content":[],
				 "stop_reason":"refusal","stop_sequence":null,"usage":{"input_tokens":10,"output_tokens":0}}
				"""));
		expectFailure(provider().chat(request("Hi")), ErrorCategory.CONTENT_POLICY, ClassificationBasis.BODY);
	}

	@Test
	void rateLimitReadsRetryAfterAndKeepsTheCode() {
		this.server.enqueue(Reply.json(429, """
				{"type":"error","error":{"type":"rate_limit_error","message":"This request would exceed the rate limit for your organization (d3f27ff7-9afe-4ee2-9645-76ecfc73c2b7) of 40,000 input tokens per minute. For details, refer to: https://docs.anthropic.com/en/api/rate-limits. You can see the response headers for current usage. Please reduce the prompt length or the maximum tokens requested, or try again later. You may also contact sales at https://www.anthropic.com/contact-sales to discuss your options for a rate limit increase."}}
				""").header("retry-after", "17"));
		LlmException failure = expectFailure(provider().chat(request("Hi")), ErrorCategory.RATE_LIMIT,
				ClassificationBasis.CODE);
		assertThat(failure.retryAfter()).isEqualTo(Duration.ofSeconds(17));
	}

	@Test
	void rateLimitWithoutRetryAfterUsesTheRfc3339ResetOfTheExhaustedLimit() {
		// Header names: https://docs.claude.com/en/api/rate-limits#response-headers
		Instant reset = Instant.now().plusSeconds(40).truncatedTo(ChronoUnit.SECONDS);
		this.server.enqueue(Reply.json(429, """
				{"type":"error","error":{"type":"rate_limit_error","message":"Number of request tokens has exceeded your per-minute rate limit"}}
				""")
			.header("anthropic-ratelimit-requests-remaining", "10")
			.header("anthropic-ratelimit-requests-reset", Instant.now().plusSeconds(2).toString())
			.header("anthropic-ratelimit-input-tokens-remaining", "0")
			.header("anthropic-ratelimit-input-tokens-reset", reset.toString()));
		LlmException failure = expectFailure(provider().chat(request("Hi")), ErrorCategory.RATE_LIMIT, null);
		assertThat(failure.retryAfter()).isBetween(Duration.ofSeconds(30), Duration.ofSeconds(41));
	}

	@Test
	void toolCallAnsweredWhole() {
		this.server.enqueue(Reply.json(200, text(getClass(), "tools-answer.json")));
		ChatRequest chat = ChatRequest.builder()
			.user("What is the weather like in San Francisco?")
			.tool(Tool.function("get_weather", "Get the current weather in a given location",
					Map.of("type", "object", "properties", Map.of("location", Map.of("type", "string")))))
			.build();
		ProviderResponse response = provider().chat(new ProviderRequest("claude-opus-4-1", chat)).block(Duration.ofSeconds(10));
		assertThat(response.finishReason()).isEqualTo("tool_calls");
		assertThat(response.toolCalls()).containsExactly(new ToolCall("toolu_01A09q90qw90lq917835lq9", "get_weather",
				"{\"location\":\"San Francisco, CA\",\"unit\":\"celsius\"}"));
		JsonNode body = this.server.takeRequest().json();
		assertThat(body.get("tools").get(0).get("input_schema").get("properties").has("location")).isTrue();
	}

	@Test
	void toolCallStreamed() {
		this.server.enqueue(Reply.split("text/event-stream", sse("tools-stream.jsonl"), 37));
		ChatRequest chat = ChatRequest.builder()
			.user("What is the weather like in San Francisco?")
			.tool(Tool.function("get_weather", null, Map.of()))
			.build();
		List<ProviderChunk> chunks = provider().stream(new ProviderRequest("claude-opus-4-1", chat))
			.collectList()
			.block(Duration.ofSeconds(10));
		List<ToolCall.Delta> deltas = chunks.stream().flatMap((chunk) -> chunk.toolCallDeltas().stream()).toList();
		assertThat(deltas.get(0)).isEqualTo(new ToolCall.Delta(0, "toolu_01T1x1fJ34qAmk2tNTrN7Up6", "get_weather", ""));
		assertThat(deltas.stream().map(ToolCall.Delta::arguments).reduce("", String::concat))
			.isEqualTo("{\"location\": \"San Francisco, CA\", \"unit\": \"fahrenheit\"}");
		assertThat(chunks.get(chunks.size() - 1).finishReason()).isEqualTo("tool_calls");
	}

	@Test
	void jsonSchemaAnsweredWholeAndStreamedComesBackAsText() {
		ChatRequest chat = ChatRequest.builder()
			.user("Extract the contact.")
			.responseFormat(ResponseFormat.jsonSchema("contact", Map.of("type", "object"), false))
			.build();
		this.server.enqueue(Reply.json(200, text(getClass(), "schema-answer.json")));
		ProviderResponse response = provider().chat(new ProviderRequest("claude", chat)).block(Duration.ofSeconds(10));
		assertThat(response.content()).startsWith("{\"name\":\"John Smith\"");
		assertThat(response.finishReason()).isEqualTo("stop");
		assertThat(response.toolCalls()).isEmpty();
		assertThat(this.server.takeRequest().json().get("tool_choice").toString())
			.isEqualTo("{\"type\":\"tool\",\"name\":\"contact\"}");
		this.server.enqueue(Reply.split("text/event-stream", sse("schema-stream.jsonl"), 29));
		List<ProviderChunk> chunks = provider().stream(new ProviderRequest("claude", chat))
			.collectList()
			.block(Duration.ofSeconds(10));
		assertThat(chunks.stream().map(ProviderChunk::delta).reduce("", String::concat))
			.isEqualTo("{\"name\": \"John Smith\", \"email\": \"john@example.com\", \"plan_interest\": \"Enterprise\"}");
		assertThat(chunks).allSatisfy((chunk) -> assertThat(chunk.toolCallDeltas()).isEmpty());
		assertThat(chunks.get(chunks.size() - 1).finishReason()).isEqualTo("stop");
	}

	@Test
	void unsupportedParamWithoutDroppingFailsBeforeAnyRequest() {
		ChatRequest chat = ChatRequest.builder().user("Hi").extra("seed", 7).build();
		assertThat(provider().unsupportedParams(chat)).containsExactly("seed");
		expectFailure(provider().chat(new ProviderRequest("claude", chat)), ErrorCategory.UNSUPPORTED, null);
		this.server.enqueue(Reply.json(200, MESSAGE));
		provider().chat(new ProviderRequest("claude", chat, true)).block(Duration.ofSeconds(10));
		assertThat(this.server.takeRequest().json().has("seed")).isFalse();
	}

	@Test
	void imageTokensFollowTheVisionDocs() {
		assertThat(provider().imageTokens()).isEqualTo(1600);
	}

	/** A {@code MessageFixtures} stream fixture ({@code event {json}} a line) as Server-Sent Events. */
	private String sse(String fixture) {
		StringBuilder events = new StringBuilder();
		for (String line : text(getClass(), fixture).split("\n")) {
			int space = line.indexOf(' ');
			if (space > 0) {
				events.append("event: ").append(line, 0, space).append("\ndata: ").append(line.substring(space + 1))
					.append("\n\n");
			}
		}
		return events.toString();
	}

	static Stream<ErrorCase> errors() {
		return Stream.of(
				ErrorCase.of("https://github.com/anthropics/claude-code/issues/3628 (529 overloaded_error)", 529, """
						{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}
						""", ErrorCategory.SERVICE_UNAVAILABLE, ClassificationBasis.CODE),
				ErrorCase.of("https://github.com/anthropics/claude-code/issues/24293 (500 api_error)", 500, """
						{"type":"error","error":{"type":"api_error","message":"Internal server error"},"request_id":"req_011CXwYz9zzqNSUaxBcTmehV"}
						""", ErrorCategory.SERVER_ERROR, ClassificationBasis.MESSAGE),
				ErrorCase.of("https://github.com/anthropics/claude-code/issues/12186 (prompt is too long)", 400, """
						{"type":"error","error":{"type":"invalid_request_error","message":"prompt is too long: 208310 tokens > 200000 maximum"},"request_id":"req_011CVQe1dLrGNMJyE1ghG1av"}
						""", ErrorCategory.CONTEXT_WINDOW_EXCEEDED, ClassificationBasis.MESSAGE),
				ErrorCase.of("https://github.com/BrokkAi/brokk-app/issues/540 (input length and max_tokens exceed context limit)", 400, """
						{"type":"error","error":{"type":"invalid_request_error","message":"input length and `max_tokens` exceed context limit: 188240 + 21333 > 200000, decrease input length or `max_tokens` and try again"}}
						""", ErrorCategory.CONTEXT_WINDOW_EXCEEDED, ClassificationBasis.MESSAGE),
				ErrorCase.of("https://github.com/anthropics/claude-code/issues/66314 (credit balance too low)", 400, """
						{"type":"error","error":{"type":"invalid_request_error","message":"Your credit balance is too low to access the Anthropic API. Please go to Plans & Billing to upgrade or purchase credits."},"request_id":"req_011CbrFTcXhtiMzr3s6EocF7"}
						""", ErrorCategory.QUOTA_EXCEEDED, ClassificationBasis.MESSAGE),
				ErrorCase.of("https://github.com/anthropics/claude-code/issues/2127 (spend limit: API usage limits)", 400, """
						{"type":"error","error":{"type":"invalid_request_error","message":"You have reached your specified API usage limits. You will regain access on 2025-07-01 at 00:00 UTC."}}
						""", ErrorCategory.QUOTA_EXCEEDED, ClassificationBasis.MESSAGE),
				ErrorCase.of("https://github.com/anthropics/claude-code/issues/9694 (401 authentication_error)", 401, """
						{"type":"error","error":{"type":"authentication_error","message":"invalid x-api-key"},"request_id":"req_011CUBgWE2fdbDGiPKTUQTwy"}
						""", ErrorCategory.AUTHENTICATION, ClassificationBasis.CODE),
				ErrorCase.of("https://github.com/anthropics/claude-code/issues/51610 (403 permission_error)", 403, """
						{"type":"error","error":{"type":"permission_error","message":"Permission denied"},"request_id":"req_011CaH53rCYtDAVnwhLQvkuc"}
						""", ErrorCategory.PERMISSION_DENIED, ClassificationBasis.CODE),
				ErrorCase.of("https://github.com/anthropics/claude-code/issues/6169 (404 not_found_error)", 404, """
						{"type":"error","error":{"type":"not_found_error","message":"model: opus-4"},"request_id":"req_011CSJdwJdRY4cgapH1mAuMS"}
						""", ErrorCategory.NOT_FOUND, ClassificationBasis.CODE),
				ErrorCase.of("https://github.com/anthropics/claude-code/issues/14567 (413 request_too_large)", 413, """
						{"error":{"type":"request_too_large","message":"Request exceeds the maximum size"}}
						""", ErrorCategory.BAD_REQUEST, ClassificationBasis.STATUS),
				ErrorCase.of("https://github.com/anthropics/claude-code/issues/24451 (max_tokens above the output limit is a bad request)", 400, """
						{"type":"error","error":{"type":"invalid_request_error","message":"max_tokens: 128001 > 64000, which is the maximum allowed number of output tokens for claude-opus-4-5-20251101"},"request_id":"req_011CXxg3eqF8ZMvqtkKHNjKQ"}
						""", ErrorCategory.BAD_REQUEST, ClassificationBasis.STATUS),
				ErrorCase.of("https://github.com/amrit110/oli/issues/7 (a field the API does not know: Extra inputs are not permitted)", 400, """
						{"type":"error","error":{"type":"invalid_request_error","message":"response_format: Extra inputs are not permitted"}}
						""", ErrorCategory.UNSUPPORTED, ClassificationBasis.MESSAGE),
				ErrorCase.of("https://github.com/zhukunpenglinyutong/jetbrains-cc-gui/issues/844 (a nested field unknown on the platform)", 400, """
						{"type":"error","error":{"type":"invalid_request_error","message":"system.2.cache_control.ephemeral.scope: Extra inputs are not permitted"},"request_id":"req_vrtx_011CZewpyq7z7yAP2CRz5AHH"}
						""", ErrorCategory.UNSUPPORTED, ClassificationBasis.MESSAGE),
				// The issue quotes the message inside Bedrock's wrapper; the envelope is the Messages API's.
				ErrorCase.of("https://github.com/anomalyco/models.dev/pull/1765 (structured outputs refused for Claude Opus 4.7 on Bedrock; message only)", 400, """
						{"type":"error","error":{"type":"invalid_request_error","message":"output_config.format: Extra inputs are not permitted"}}
						""", ErrorCategory.UNSUPPORTED, ClassificationBasis.MESSAGE),
				// The terminal wrapped the message over two lines; joined here with one space.
				ErrorCase.of("https://github.com/anthropics/claude-code/issues/28485 (image format refused)", 400, """
						{"type":"error","error":{"type":"invalid_request_error","message":"messages.34.content.2.image.source.base64.data: Image format image/png not supported"},"request_id":"req_011CYUbjafcneBoXiMeBLp7h"}
						""", ErrorCategory.UNSUPPORTED, ClassificationBasis.MESSAGE),
				ErrorCase.of("https://github.com/anthropics/claude-code/issues/8184 (image media type refused)", 400, """
						{"type":"error","error":{"type":"invalid_request_error","message":"messages.36.content.2.image.source.base64.media_type: Input should be 'image/jpeg', 'image/png', 'image/gif' or 'image/webp'"},"request_id":"req_011CTVLbfU2MBNLj9XeXTaMr"}
						""", ErrorCategory.UNSUPPORTED, ClassificationBasis.MESSAGE),
				// The issue shows the message as the AI SDK raised it; the envelope is the Messages API's.
				ErrorCase.of("https://github.com/mastra-ai/mastra/issues/7507 (extended thinking with a forced tool; message only)", 400, """
						{"type":"error","error":{"type":"invalid_request_error","message":"Thinking may not be enabled when tool_choice forces tool use."}}
						""", ErrorCategory.UNSUPPORTED, ClassificationBasis.MESSAGE),
				ErrorCase.of("https://github.com/FoundationAgents/OpenManus/issues/746 (Anthropic via its OpenAI SDK compatibility)", 429, """
						{"error": {"code": "rate_limit_error", "message": "This request would exceed the rate limit for your organization of 20,000 input tokens per minute. For details, refer to: https://docs.anthropic.com/en/api/rate-limits.", "type": "invalid_request_error", "param": null}}
						""", ErrorCategory.RATE_LIMIT, ClassificationBasis.CODE));
	}

}
