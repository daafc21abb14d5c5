package dev.llmfallback.provider.openai;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import dev.llmfallback.ChatMessage;
import dev.llmfallback.ChatRequest;
import dev.llmfallback.ErrorCategory;
import dev.llmfallback.LlmException;
import dev.llmfallback.LlmException.ClassificationBasis;
import dev.llmfallback.Usage;
import dev.llmfallback.provider.AbstractProviderTests;
import dev.llmfallback.provider.ChatProvider;
import dev.llmfallback.provider.ChatProviders;
import dev.llmfallback.provider.ClassificationRules;
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
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link OpenAiChatProvider} against a loopback server replaying the Chat Completions wire format
 * (https://platform.openai.com/docs/api-reference/chat).
 */
class OpenAiChatProviderTests extends AbstractProviderTests {

	// Shape from https://platform.openai.com/docs/api-reference/chat/object
	private static final String COMPLETION = """
			{"id": "chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT", "object": "chat.completion", "created": 1741569952,
			 "model": "gpt-4o-2024-08-06",
			 "choices": [{"index": 0, "message": {"role": "assistant", "content": "Hello! How can I assist you today?",
			   "refusal": null, "annotations": []}, "logprobs": null, "finish_reason": "stop"}],
			 "usage": {"prompt_tokens": 19, "completion_tokens": 10, "total_tokens": 29,
			   "prompt_tokens_details": {"cached_tokens": 0, "audio_tokens": 0}},
			 "service_tier": "default"}
			""";

	// Framing from https://platform.openai.com/docs/api-reference/chat-streaming (chunks, the
	// include_usage chunk with empty choices, then [DONE]).
	private static final String STREAM = """
			data: {"id":"chatcmpl-123","object":"chat.completion.chunk","created":1694268190,"model":"gpt-4o-mini","system_fingerprint":"fp_44709d6fcb","choices":[{"index":0,"delta":{"role":"assistant","content":""},"logprobs":null,"finish_reason":null}],"usage":null}

			data: {"id":"chatcmpl-123","object":"chat.completion.chunk","created":1694268190,"model":"gpt-4o-mini","system_fingerprint":"fp_44709d6fcb","choices":[{"index":0,"delta":{"content":"Héllo"},"logprobs":null,"finish_reason":null}],"usage":null}

			data: {"id":"chatcmpl-123","object":"chat.completion.chunk","created":1694268190,"model":"gpt-4o-mini","system_fingerprint":"fp_44709d6fcb","choices":[{"index":0,"delta":{"content":" wörld 🌍"},"logprobs":null,"finish_reason":null}],"usage":null}

			data: {"id":"chatcmpl-123","object":"chat.completion.chunk","created":1694268190,"model":"gpt-4o-mini","system_fingerprint":"fp_44709d6fcb","choices":[{"index":0,"delta":{},"logprobs":null,"finish_reason":"stop"}],"usage":null}

			data: {"id":"chatcmpl-123","object":"chat.completion.chunk","created":1694268190,"model":"gpt-4o-mini","system_fingerprint":"fp_44709d6fcb","choices":[],"usage":{"prompt_tokens":9,"completion_tokens":4,"total_tokens":13}}

			data: [DONE]

			""";

	@Override
	protected String plainAnswer() {
		return COMPLETION;
	}

	@Override
	protected String type() {
		return "openai";
	}

	@Override
	protected String baseUrl(String root) {
		return root + "/v1";
	}

	@Override
	protected String truncatedStream() {
		return STREAM.substring(0, STREAM.indexOf("data: {\"id\":\"chatcmpl-123\",\"object\":\"chat.completion.chunk\",\"created\":1694268190,\"model\":\"gpt-4o-mini\",\"system_fingerprint\":\"fp_44709d6fcb\",\"choices\":[{\"index\":0,\"delta\":{},"));
	}

	@Test
	void chatSendsTheChatCompletionsRequest() {
		this.server.enqueue(Reply.json(200, COMPLETION));
		ChatRequest chat = ChatRequest.builder()
			.system("Be brief.")
			.user("Hi")
			.assistant("Hello")
			.message(ChatMessage.tool("42"))
			.temperature(0.5)
			.maxTokens(100)
			.topP(0.9)
			.stop("END", "STOP")
			.endUser("user-1")
			.extra("seed", 7)
			.extra("response_format", java.util.Map.of("type", "text"))
			.metadata("trace", "never-sent")
			.build();
		StepVerifier.create(provider().chat(new ProviderRequest("gpt-4o", chat))).expectNextCount(1).verifyComplete();
		Recorded request = this.server.takeRequest();
		assertThat(request.method()).isEqualTo("POST");
		assertThat(request.uri()).isEqualTo("/v1/chat/completions");
		assertThat(request.header("Authorization")).isEqualTo("Bearer " + KEY);
		JsonNode body = request.json();
		assertThat(body.get("model").stringValue()).isEqualTo("gpt-4o");
		assertThat(body.get("messages").findValuesAsString("role")).containsExactly("system", "user", "assistant", "tool");
		assertThat(body.get("messages").get(0).get("content").stringValue()).isEqualTo("Be brief.");
		assertThat(body.get("temperature").asDouble()).isEqualTo(0.5);
		assertThat(body.get("max_tokens").asInt()).isEqualTo(100);
		assertThat(body.get("top_p").asDouble()).isEqualTo(0.9);
		assertThat(body.get("stop").toString()).isEqualTo("[\"END\",\"STOP\"]");
		assertThat(body.get("user").stringValue()).isEqualTo("user-1");
		assertThat(body.get("seed").asInt()).isEqualTo(7);
		assertThat(body.get("response_format").get("type").stringValue()).isEqualTo("text");
		assertThat(body.has("stream")).isFalse();
		assertThat(body.toString()).doesNotContain("never-sent");
	}

	@Test
	void chatMapsTheAnswer() {
		this.server.enqueue(Reply.json(200, COMPLETION));
		ProviderResponse response = provider().chat(request("Hi")).block(Duration.ofSeconds(10));
		assertThat(response.content()).isEqualTo("Hello! How can I assist you today?");
		assertThat(response.finishReason()).isEqualTo("stop");
		assertThat(response.providerModel()).isEqualTo("gpt-4o-2024-08-06");
		assertThat(response.usage()).isEqualTo(new Usage(19, 10, 29));
	}

	@Test
	void answersAreDecodedByTheirCharsetAcrossReads() {
		String answer = "{\"id\":\"x\",\"model\":\"gpt-4o\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\","
				+ "\"content\":\"Héllo wörld 🌍\"},\"finish_reason\":\"stop\"}]}";
		// UTF-8 (the bytes are parsed as they are), split inside a character, after leading blanks.
		byte[] utf8 = ("\r\n " + answer).getBytes(StandardCharsets.UTF_8);
		int split = ("\r\n " + answer).indexOf('é') + 4;
		this.server.enqueue(Reply.bytes(200, "application/json",
				List.of(Arrays.copyOfRange(utf8, 0, split), Arrays.copyOfRange(utf8, split, utf8.length))));
		assertThat(provider().chat(request("Hi")).block(Duration.ofSeconds(10)).content()).isEqualTo("Héllo wörld 🌍");
		// Another charset named by the content type is honoured (the text path).
		String latin = answer.replace(" 🌍", "");
		this.server.enqueue(Reply.bytes(200, "application/json; charset=ISO-8859-1",
				List.of(latin.getBytes(StandardCharsets.ISO_8859_1))));
		assertThat(provider().chat(request("Hi")).block(Duration.ofSeconds(10)).content()).isEqualTo("Héllo wörld");
	}

	@Test
	void maxCompletionTokensInExtraReplacesMaxTokens() {
		this.server.enqueue(Reply.json(200, COMPLETION));
		ChatRequest chat = ChatRequest.builder().user("Hi").maxTokens(10).extra("max_completion_tokens", 20).build();
		provider().chat(new ProviderRequest("o3-mini", chat)).block(Duration.ofSeconds(10));
		JsonNode body = this.server.takeRequest().json();
		assertThat(body.has("max_tokens")).isFalse();
		assertThat(body.get("max_completion_tokens").asInt()).isEqualTo(20);
	}

	@Test
	void streamAsksForUsageAndEmitsDeltasThenTheFinalChunk() {
		// 7-byte pieces: events, lines and multi-byte characters straddle network reads.
		this.server.enqueue(Reply.split("text/event-stream", STREAM, 7));
		List<ProviderChunk> chunks = provider().stream(request("Hi")).collectList().block(Duration.ofSeconds(10));
		assertThat(chunks).extracting(ProviderChunk::delta).containsExactly("Héllo", " wörld 🌍", "");
		ProviderChunk last = chunks.get(chunks.size() - 1);
		assertThat(last.finishReason()).isEqualTo("stop");
		assertThat(last.usage()).isEqualTo(new Usage(9, 4, 13));
		assertThat(last.providerModel()).isEqualTo("gpt-4o-mini");
		JsonNode body = this.server.takeRequest().json();
		assertThat(body.get("stream").asBoolean()).isTrue();
		assertThat(body.get("stream_options").get("include_usage").asBoolean()).isTrue();
	}

	@Test
	void streamWithCrLfLineEndingsIsRead() {
		this.server.enqueue(Reply.split("text/event-stream", STREAM.replace("\n", "\r\n"), 5));
		List<ProviderChunk> chunks = provider().stream(request("Hi")).collectList().block(Duration.ofSeconds(10));
		assertThat(chunks).extracting(ProviderChunk::delta).containsExactly("Héllo", " wörld 🌍", "");
	}

	@Test
	void aFinishedStreamLeavesItsConnectionOpenForTheNextCall() {
		// Reading the body to its end after [DONE] (rather than cancelling at the marker) returns the
		// connection to the pool: the next stream reuses it instead of paying a new connection.
		this.server.enqueue(Reply.sse(STREAM));
		this.server.enqueue(Reply.sse(STREAM));
		ChatProvider provider = provider();
		provider.stream(request("Hi")).blockLast(Duration.ofSeconds(10));
		Recorded first = this.server.takeRequest();
		provider.stream(request("Hi")).blockLast(Duration.ofSeconds(10));
		this.server.takeRequest();
		assertThat(first.closed()).as("the first stream's connection, after a second stream").isNotDone();
	}

	@Test
	void aBodyKeptOpenAfterTheTerminalMarkerIsCutAfterAShortGrace() throws Exception {
		// The whole stream, [DONE] included, then the body never ends: the stream still completes with
		// its last chunk, and the connection is closed rather than left with the peer.
		this.server.enqueue(Reply.stall("text/event-stream", STREAM));
		List<ProviderChunk> chunks = provider().stream(request("Hi")).collectList().block(Duration.ofSeconds(10));
		assertThat(chunks).extracting(ProviderChunk::delta).containsExactly("Héllo", " wörld 🌍", "");
		assertThat(chunks.get(2).finishReason()).isEqualTo("stop");
		this.server.takeRequest().closed().get(5, TimeUnit.SECONDS);
	}

	@Test
	void cancellingTheStreamClosesTheConnectionAtOnce() throws Exception {
		this.server.enqueue(Reply.stall("text/event-stream", STREAM.substring(0, STREAM.indexOf("data: ", STREAM.indexOf("Héllo")))));
		StepVerifier.create(provider().stream(request("Hi")))
			.expectNext(ProviderChunk.text("Héllo"))
			.thenCancel()
			.verify(Duration.ofSeconds(10));
		// The server sees its connection go away: the call was aborted, not left running.
		this.server.takeRequest().closed().get(5, TimeUnit.SECONDS);
	}

	@Test
	void extraThatCannotBeWrittenAsJsonIsABadRequest() {
		ChatRequest chat = ChatRequest.builder().user("Hi").extra("handle", new Unwritable()).build();
		expectFailure(provider().chat(new ProviderRequest("gpt-4o", chat)), ErrorCategory.BAD_REQUEST,
				ClassificationBasis.ENGINE);
	}

	@Test
	void invalidBaseUrlIsRefusedAtCreation() {
		org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
			.isThrownBy(() -> provider(settings().baseUrl("api.openai.com/v1")))
			.withMessageContaining("base-url");
	}

	@Test
	void streamAnsweredWithPlainJsonIsStillAnAnswer() {
		// Prism and some compatible servers answer "stream": true with a whole completion.
		this.server.enqueue(Reply.json(200, COMPLETION));
		List<ProviderChunk> chunks = provider().stream(request("Hi")).collectList().block(Duration.ofSeconds(10));
		assertThat(chunks).extracting(ProviderChunk::delta).containsExactly("Hello! How can I assist you today?", "");
		assertThat(chunks.get(1).finishReason()).isEqualTo("stop");
	}

	@Test
	void contentFilterWithoutContentIsContentPolicy() {
		// finish_reason "content_filter": https://platform.openai.com/docs/api-reference/chat/object
		this.server.enqueue(Reply.json(200, """
				{"id":"chatcmpl-1","object":"chat.completion","model":"gpt-4o","choices":[{"index":0,
				 "message":{"role":"assistant","content":null},"finish_reason":"content_filter"}],
				 "usage":{"prompt_tokens":5,"completion_tokens":0,"total_tokens":5}}
				"""));
		LlmException failure = expectFailure(provider().chat(request("Hi")), ErrorCategory.CONTENT_POLICY,
				ClassificationBasis.BODY);
		assertThat(failure.httpStatus()).isEqualTo(200);
	}

	@Test
	void contentFilterAfterSomeTextEndsTheStreamWithThatReason() {
		this.server.enqueue(Reply.sse("""
				data: {"id":"1","object":"chat.completion.chunk","model":"gpt-4o","choices":[{"index":0,"delta":{"content":"Part"},"finish_reason":null}]}

				data: {"id":"1","object":"chat.completion.chunk","model":"gpt-4o","choices":[{"index":0,"delta":{},"finish_reason":"content_filter"}]}

				data: [DONE]

				"""));
		List<ProviderChunk> chunks = provider().stream(request("Hi")).collectList().block(Duration.ofSeconds(10));
		assertThat(chunks.get(chunks.size() - 1).finishReason()).isEqualTo("content_filter");
	}

	@Test
	void contentFilterBeforeAnyTextFailsTheStream() {
		this.server.enqueue(Reply.sse("""
				data: {"id":"1","object":"chat.completion.chunk","model":"gpt-4o","choices":[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":null}]}

				data: {"id":"1","object":"chat.completion.chunk","model":"gpt-4o","choices":[{"index":0,"delta":{},"finish_reason":"content_filter"}]}

				data: [DONE]

				"""));
		expectFailure(provider().stream(request("Hi")), ErrorCategory.CONTENT_POLICY, ClassificationBasis.BODY);
	}

	@Test
	void errorObjectInsideTheStreamIsClassified() {
		// An error sent after the 200 as a data event, as OpenAI and OpenRouter do mid-stream:
		// https://openrouter.ai/docs/api-reference/errors (mid-stream errors) and
		// https://github.com/openai/openai-python/blob/main/src/openai/_streaming.py (data with "error").
		this.server.enqueue(Reply.sse("""
				data: {"id":"1","object":"chat.completion.chunk","model":"gpt-4o","choices":[{"index":0,"delta":{"content":"Hi"},"finish_reason":null}]}

				data: {"error":{"message":"The server had an error while processing your request. Sorry about that!","type":"server_error","param":null,"code":null}}

				"""));
		StepVerifier.create(provider().stream(request("Hi")))
			.expectNext(ProviderChunk.text("Hi"))
			.expectErrorSatisfies((failure) -> {
				assertThat(failure).isInstanceOf(LlmException.class);
				assertThat(((LlmException) failure).category()).isEqualTo(ErrorCategory.SERVER_ERROR);
				assertThat(((LlmException) failure).basis()).isEqualTo(ClassificationBasis.CODE);
			})
			.verify(Duration.ofSeconds(10));
	}

	@Test
	void openRouterMidStreamErrorUsesItsEmbeddedStatus() {
		// https://openrouter.ai/docs/api-reference/errors : errors after the stream started are
		// sent as an SSE event with a numeric error code and finish_reason "error".
		this.server.enqueue(Reply.sse("""
				: OPENROUTER PROCESSING

				data: {"id":"cmpl-abc123","object":"chat.completion.chunk","created":1234567890,"model":"gpt-3.5-turbo","provider":"openai","error":{"code":502,"message":"Provider disconnected unexpectedly"},"choices":[{"index":0,"delta":{"content":""},"finish_reason":"error"}]}

				"""));
		LlmException failure = expectFailure(provider().stream(request("Hi")), ErrorCategory.SERVICE_UNAVAILABLE, null);
		assertThat(failure.httpStatus()).isEqualTo(502);
	}

	@Test
	void rateLimitHonoursRetryAfterMs() {
		this.server.enqueue(Reply.json(429, """
				{"error": {"message": "Rate limit reached for gpt-4o in organization org-abc on requests per min (RPM): Limit 500, Used 500, Requested 1. Please try again in 120ms.", "type": "requests", "param": null, "code": "rate_limit_exceeded"}}
				""").header("retry-after-ms", "120").header("retry-after", "1"));
		LlmException failure = expectFailure(provider().chat(request("Hi")), ErrorCategory.RATE_LIMIT,
				ClassificationBasis.CODE);
		assertThat(failure.retryAfter()).isEqualTo(Duration.ofMillis(120));
		assertThat(failure.errorCode()).isEqualTo("rate_limit_exceeded");
	}

	@Test
	void rateLimitWithoutRetryAfterUsesTheExhaustedLimitsReset() {
		// Header names and formats: https://platform.openai.com/docs/guides/rate-limits#rate-limits-in-headers
		this.server.enqueue(Reply.json(429, """
				{"error": {"message": "Rate limit reached for gpt-4o in organization org-abc on tokens per min (TPM): Limit 30000, Used 29000, Requested 2000. Please try again in 6m0s.", "type": "tokens", "param": null, "code": "rate_limit_exceeded"}}
				""")
			.header("x-ratelimit-remaining-requests", "499")
			.header("x-ratelimit-reset-requests", "120ms")
			.header("x-ratelimit-remaining-tokens", "0")
			.header("x-ratelimit-reset-tokens", "6m0s"));
		LlmException failure = expectFailure(provider().chat(request("Hi")), ErrorCategory.RATE_LIMIT, null);
		assertThat(failure.retryAfter()).isEqualTo(Duration.ofMinutes(6));
	}

	@Test
	void userPatternsClassifyWordingTheBuiltInRulesMiss() throws Exception {
		this.server.enqueue(Reply.json(400, """
				{"error": {"message": "Prompt exceeds 8k budget of this deployment", "type": "invalid_request_error", "code": null}}
				"""));
		ChatProvider provider = ChatProviders.create(settings().build(), null, ClassificationRules
			.fromIds(java.util.Map.of("context_window_exceeded", List.of("exceeds \\d+k budget"))));
		try {
			expectFailure(provider.chat(request("Hi")), ErrorCategory.CONTEXT_WINDOW_EXCEEDED, ClassificationBasis.MESSAGE);
		}
		finally {
			((AutoCloseable) provider).close();
		}
	}

	@Test
	void toolCallAnsweredWholeOverHttp() {
		this.server.enqueue(Reply.json(200, dev.llmfallback.provider.MessageFixtures.text(getClass(), "tools-answer.json")));
		ChatRequest chat = ChatRequest.builder()
			.user("What's the weather like in Boston today?")
			.tool(dev.llmfallback.Tool.function("get_current_weather", "Get the current weather",
					java.util.Map.of("type", "object", "properties", java.util.Map.of("location", java.util.Map.of("type", "string")))))
			.toolChoice(dev.llmfallback.ToolChoice.REQUIRED)
			.build();
		ProviderResponse response = provider().chat(new ProviderRequest("gpt-4o", chat)).block(Duration.ofSeconds(10));
		assertThat(response.toolCalls()).extracting(dev.llmfallback.ToolCall::id, dev.llmfallback.ToolCall::name)
			.containsExactly(org.assertj.core.groups.Tuple.tuple("call_abc123", "get_current_weather"));
		assertThat(response.finishReason()).isEqualTo("tool_calls");
		JsonNode body = this.server.takeRequest().json();
		assertThat(body.get("tools").get(0).get("function").get("name").stringValue()).isEqualTo("get_current_weather");
		assertThat(body.get("tool_choice").stringValue()).isEqualTo("required");
	}

	@Test
	void toolCallStreamedOverHttpArrivesAsDeltas() {
		StringBuilder sse = new StringBuilder();
		for (String line : dev.llmfallback.provider.MessageFixtures.text(getClass(), "tools-stream.jsonl").split("\n")) {
			if (!line.isBlank()) {
				sse.append("data: ").append(line).append("\n\n");
			}
		}
		// 9-byte pieces: argument fragments straddle network reads.
		this.server.enqueue(Reply.split("text/event-stream", sse.toString(), 9));
		ChatRequest chat = ChatRequest.builder()
			.user("Weather in Paris and Bogotá?")
			.tool(dev.llmfallback.Tool.function("get_weather", null, java.util.Map.of()))
			.build();
		List<ProviderChunk> chunks = provider().stream(new ProviderRequest("gpt-4o", chat)).collectList()
			.block(Duration.ofSeconds(10));
		StringBuilder first = new StringBuilder();
		chunks.stream().flatMap((chunk) -> chunk.toolCallDeltas().stream()).filter((delta) -> delta.index() == 0)
			.forEach((delta) -> first.append(delta.arguments()));
		assertThat(first.toString()).isEqualTo("{\"location\":\"Paris, France\"}");
		assertThat(chunks).flatExtracting(ProviderChunk::toolCallDeltas).extracting(dev.llmfallback.ToolCall.Delta::id)
			.filteredOn(java.util.Objects::nonNull)
			.containsExactly("call_DdmO9pD3xa9XTPNJ32zg2hcA", "call_7tQnOa5a1ciCDjTmHyvJJhVV");
		assertThat(chunks.get(chunks.size() - 1).finishReason()).isEqualTo("tool_calls");
	}

	@Test
	void imageTokensAreOpenAisHighDetailEstimate() {
		assertThat(provider().imageTokens()).isEqualTo(765);
	}

	/** A value Jackson cannot write. */
	public static final class Unwritable {

		public String getValue() {
			throw new IllegalStateException("cannot be read");
		}

	}

	static Stream<ErrorCase> errors() {
		return Stream.of(
				// Capability refusals: unsupported (the next model may have the capability), even where a
				// bad_request code comes with the wording.
				ErrorCase.of("https://github.com/github/gh-models/issues/31 (o1 refuses stream: true)", 400, """
						{"error": {"message": "Unsupported value: 'stream' does not support true with this model. Supported values are: false.", "type": "invalid_request_error", "param": "stream", "code": "unsupported_value"}}
						""", ErrorCategory.UNSUPPORTED, ClassificationBasis.MESSAGE),
				ErrorCase.of("https://github.com/vllm-project/vllm/issues/11629 (GPT-3.5 given an image, as quoted there)", 400, """
						{"error": {"message": "Invalid content type. image_url is only supported by certain models.", "type": "invalid_request_error", "param": "messages.[0].content.[1].type", "code": null}}
						""", ErrorCategory.UNSUPPORTED, ClassificationBasis.MESSAGE),
				ErrorCase.of("https://github.com/Gitlawb/openclaude/issues/1371 (Ollama /v1, model without thinking)", 400, """
						{"error":{"message":"\\"llama3.1:8b\\" does not support thinking","type":"invalid_request_error","param":null,"code":null}}
						""", ErrorCategory.UNSUPPORTED, ClassificationBasis.MESSAGE),
				ErrorCase.of("https://github.com/cloudflare/cloudflare-os/issues/97 (text-only model given an image)", 400, """
						{"error":{"message":"this model does not support image input (ref: 1)","type":"invalid_request_error","param":null,"code":null}}
						""", ErrorCategory.UNSUPPORTED, ClassificationBasis.MESSAGE),
				ErrorCase.of("https://github.com/chathub-dev/chathub/issues/126", 400, """
						{"error":{"message":"This model's maximum context length is 4097 tokens. However, your messages resulted in 4294 tokens. Please reduce the length of the messages.","type":"invalid_request_error","param":"messages","code":"context_length_exceeded"}}
						""", ErrorCategory.CONTEXT_WINDOW_EXCEEDED, ClassificationBasis.CODE),
				ErrorCase.of("https://github.com/evalstate/fast-agent/issues/621 (DeepSeek, code is only the type)", 400, """
						{"error": {"message": "This model's maximum context length is 131072 tokens. However, you requested 131134 tokens (122942 in the messages, 8192 in the completion). Please reduce the length of the messages or completion.", "type": "invalid_request_error", "param": null, "code": "invalid_request_error"}}
						""", ErrorCategory.CONTEXT_WINDOW_EXCEEDED, ClassificationBasis.MESSAGE),
				ErrorCase.of("https://github.com/chatanywhere/GPT_API_free/issues/229", 429, """
						{"error": {"message": "You exceeded your current quota, please check your plan and billing details. For more information on this error, read the docs: https://platform.openai.com/docs/guides/error-codes/api-errors.", "type": "insufficient_quota", "param": null, "code": "insufficient_quota"}}
						""", ErrorCategory.QUOTA_EXCEEDED, ClassificationBasis.CODE),
				ErrorCase.of("https://github.com/ayaka14732/ChatGPTAPIFree/issues/16 (2023 shape, code null)", 429, """
						{"error": {"message": "You exceeded your current quota, please check your plan and billing details.", "type": "insufficient_quota", "param": null, "code": null}}
						""", ErrorCategory.QUOTA_EXCEEDED, ClassificationBasis.CODE),
				ErrorCase.of("https://github.com/SevaSk/ecoute/issues/163 (401 Incorrect API key provided)", 401, """
						{"error": {"message": "Incorrect API key provided: API_KEY. You can find your API key at https://platform.openai.com/account/api-keys.", "type": "invalid_request_error", "param": null, "code": "invalid_api_key"}}
						""", ErrorCategory.AUTHENTICATION, ClassificationBasis.CODE),
				ErrorCase.of("https://github.com/rd-1-2022/ai-openai-helloworld/issues/9 (404 model does not exist)", 404, """
						{
						    "error": {
						        "message": "The model `gpt-4o` does not exist or you do not have access to it.",
						        "type": "invalid_request_error",
						        "param": null,
						        "code": "model_not_found"
						    }
						}
						""", ErrorCategory.NOT_FOUND, ClassificationBasis.CODE),
				ErrorCase.of("https://github.com/home-assistant/core/issues/120072 (403 unsupported country)", 403, """
						{"error": {"code": "unsupported_country_region_territory", "message": "Country, region, or territory not supported", "param": null, "type": "request_forbidden"}}
						""", ErrorCategory.PERMISSION_DENIED, ClassificationBasis.CODE),
				ErrorCase.of("https://github.com/ai-genie/chatgpt-vscode/issues/100 (500 server had an error)", 500, """
						{
						  "error": {
						    "message": "The server had an error processing your request. Sorry about that! You can retry your request, or contact us through our help center at help.openai.com if you keep seeing this error. (Please include the request ID e5c949c8ec2c86be225544e5eefcbe4d in your email.)",
						    "type": "server_error",
						    "param": null,
						    "code": null
						  }
						}
						""", ErrorCategory.SERVER_ERROR, ClassificationBasis.CODE),
				ErrorCase.of("https://github.com/ikechan8370/chatgpt-plugin/issues/125 (503 model overloaded)", 503, """
						{
						  "error": {
						    "message": "That model is currently overloaded with other requests. You can retry your request, or contact us through our help center at help.openai.com if the error persists. (Please include the request ID 500d9fff2057e4af93a280f67002c342 in your message.)",
						    "type": "server_error",
						    "param": null,
						    "code": null
						  }
						}
						""", ErrorCategory.SERVICE_UNAVAILABLE, ClassificationBasis.MESSAGE),
				// Illustrative, shaped after https://platform.openai.com/docs/guides/images (content_policy_violation);
				// no verbatim sample found.
				ErrorCase.of("Illustrative, after https://platform.openai.com/docs/guides/images (content_policy_violation)", 400, """
						{"error": {"code": "content_policy_violation", "message": "Your request was rejected as a result of our safety system. Your prompt may contain text that is not allowed by our safety system.", "param": null, "type": "invalid_request_error"}}
						""", ErrorCategory.CONTENT_POLICY, ClassificationBasis.CODE),
				ErrorCase.of("https://github.com/CopilotKit/CopilotKit/issues/529 (invalid parameter, empty_array)", 400, """
						{"error": {"message": "Invalid 'messages': empty array. Expected an array with minimum length 1, but got an empty array instead.", "type": "invalid_request_error", "param": "messages", "code": "empty_array"}}
						""", ErrorCategory.BAD_REQUEST, ClassificationBasis.CODE),
				ErrorCase.of("https://github.com/ChatGPTNextWeb/NextChat/issues/3195 (max_tokens too large is not context)", 400, """
						{
						  "error": {
						    "message": "max_tokens is too large: 8192. This model supports at most 4096 completion tokens, whereas you provided 8192.",
						    "type": "invalid_request_error",
						    "param": "max_tokens",
						    "code": null
						  }
						}
						""", ErrorCategory.BAD_REQUEST, ClassificationBasis.STATUS),
				// The message as pasted in the PR (organization id elided there); the stored paste ends at
				// "type", so type and code are Groq's usual ones, as in
				// https://github.com/HunorLaczko/ha-groq-cloud-api/issues/27 .
				ErrorCase.of("https://github.com/wazuh/wazuh-dashboard-plugins/pull/8790 (Groq daily token limit)", 429, """
						{"error":{"message":"Rate limit reached for model `llama-3.3-70b-versatile` in organization `org_01k…` service tier `on_demand` on tokens per day (TPD): Limit 100000, Used 94976, Requested 5632. Please try again in 8m45.312s. Need more tokens? Upgrade to Dev Tier today at https://console.groq.com/settings/billing","type":"tokens","code":"rate_limit_exceeded"}}
						""", ErrorCategory.QUOTA_EXCEEDED, ClassificationBasis.MESSAGE),
				ErrorCase.of("https://github.com/Gitlawb/openclaude/issues/43 (OpenRouter 402 insufficient credits)", 402, """
						{"error":{"message":"Insufficient credits. This account never purchased credits. Make sure your key is on the correct account or org, and if so, purchase more at https://openrouter.ai/settings/credits","code":402}}
						""", ErrorCategory.QUOTA_EXCEEDED, ClassificationBasis.MESSAGE),
				// The message is the one listed at https://api-docs.deepseek.com/quick_start/error_codes and
				// quoted in issue threads such as https://github.com/continuedev/continue/issues/9942 (message
				// only); the envelope is as captured in several projects' test fixtures, not in a thread.
				ErrorCase.of("https://github.com/continuedev/continue/issues/9942 (DeepSeek 402 Insufficient Balance; message only)", 402, """
						{"error":{"message":"Insufficient Balance","type":"unknown_error","param":null,"code":"invalid_request_error"}}
						""", ErrorCategory.QUOTA_EXCEEDED, ClassificationBasis.MESSAGE),
				ErrorCase.of("https://github.com/meta-llama/llama-verifications/issues/58 (vLLM ErrorResponse, context length)", 400, """
						{"object": "error", "message": "This model's maximum context length is 131072 tokens. However, you requested 156632 tokens (152536 in the messages, 4096 in the completion). Please reduce the length of the messages or completion.", "type": "BadRequestError", "param": null, "code": 400}
						""", ErrorCategory.CONTEXT_WINDOW_EXCEEDED, ClassificationBasis.MESSAGE),
				// Illustrative: the wording "Prompt contains N tokens and 0 draft tokens, too large for model
				// with N maximum context length" is Mistral's, but no verbatim body was found in a thread.
				ErrorCase.of("Illustrative, after https://docs.mistral.ai/ (Mistral prompt too large for model)", 400, """
						{"object":"error","message":"Prompt contains 40000 tokens and 0 draft tokens, too large for model with 32768 maximum context length","type":"invalid_request_error","param":null,"code":null}
						""", ErrorCategory.CONTEXT_WINDOW_EXCEEDED, ClassificationBasis.MESSAGE));
	}

}
