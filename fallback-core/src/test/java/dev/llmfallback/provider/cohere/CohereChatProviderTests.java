package dev.llmfallback.provider.cohere;

import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import dev.llmfallback.ChatMessage;
import dev.llmfallback.ChatRequest;
import dev.llmfallback.ErrorCategory;
import dev.llmfallback.LlmException;
import dev.llmfallback.LlmException.ClassificationBasis;
import dev.llmfallback.ToolCall;
import dev.llmfallback.Usage;
import dev.llmfallback.provider.AbstractProviderTests;
import dev.llmfallback.provider.ErrorCase;
import dev.llmfallback.provider.MessageFixtures;
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
import static org.assertj.core.api.Assertions.tuple;

/**
 * {@link CohereChatProvider} against a loopback server replaying Cohere's v2 Chat API
 * (https://docs.cohere.com/reference/chat, https://docs.cohere.com/docs/streaming,
 * https://docs.cohere.com/errors-reference).
 */
class CohereChatProviderTests extends AbstractProviderTests {

	private static final String RESPONSE = """
			{"id":"c14c80c3-18eb-4519-9460-6c92edd8cfb4","finish_reason":"COMPLETE",
			 "message":{"role":"assistant","content":[{"type":"text","text":"LLMs are neural networks."}]},
			 "usage":{"billed_units":{"input_tokens":5,"output_tokens":418},"tokens":{"input_tokens":71,"output_tokens":418}}}
			""";

	private static final String STREAM = """
			event: message-start
			data: {"id":"29f14a5a-11de-4cae-9800-25e4747408ea","type":"message-start","delta":{"message":{"role":"assistant","content":[],"tool_plan":"","tool_calls":[],"citations":[]}}}

			event: content-start
			data: {"type":"content-start","index":0,"delta":{"message":{"content":{"type":"text","text":""}}}}

			event: content-delta
			data: {"type":"content-delta","index":0,"delta":{"message":{"content":{"text":"A"}}}}

			event: content-delta
			data: {"type":"content-delta","index":0,"delta":{"message":{"content":{"text":" large language model"}}}}

			event: content-end
			data: {"type":"content-end","index":0}

			event: message-end
			data: {"type":"message-end","delta":{"finish_reason":"COMPLETE","usage":{"billed_units":{"input_tokens":3,"output_tokens":4},"tokens":{"input_tokens":69,"output_tokens":4}}}}

			data: [DONE]

			""";

	@Override
	protected String plainAnswer() {
		return RESPONSE;
	}

	@Override
	protected String errorBody(String message) {
		return "{\"id\": \"e1\", \"message\": " + quote(message) + "}";
	}

	@Override
	protected String type() {
		return "cohere";
	}

	@Override
	protected String truncatedStream() {
		return STREAM.substring(0, STREAM.indexOf("event: message-end"));
	}

	@Test
	void chatSendsTheV2Request() {
		this.server.enqueue(Reply.json(200, RESPONSE));
		ChatRequest chat = ChatRequest.builder()
			.system("Be brief.")
			.user("Hi")
			.message(ChatMessage.tool("42"))
			.temperature(0.3)
			.maxTokens(100)
			.topP(0.75)
			.stop("END")
			.extra("seed", 1)
			.build();
		StepVerifier.create(provider().chat(new ProviderRequest("command-a-03-2025", chat))).expectNextCount(1).verifyComplete();
		Recorded request = this.server.takeRequest();
		assertThat(request.uri()).isEqualTo("/v2/chat");
		assertThat(request.header("Authorization")).isEqualTo("Bearer " + KEY);
		JsonNode body = request.json();
		assertThat(body.get("model").stringValue()).isEqualTo("command-a-03-2025");
		assertThat(body.get("messages").findValuesAsString("role")).containsExactly("system", "user", "user");
		assertThat(body.get("temperature").asDouble()).isEqualTo(0.3);
		assertThat(body.get("max_tokens").asInt()).isEqualTo(100);
		assertThat(body.get("p").asDouble()).isEqualTo(0.75);
		assertThat(body.get("stop_sequences").toString()).isEqualTo("[\"END\"]");
		assertThat(body.get("seed").asInt()).isEqualTo(1);
	}

	@Test
	void chatMapsTheAnswer() {
		this.server.enqueue(Reply.json(200, RESPONSE));
		ProviderResponse response = provider().chat(request("Hi")).block(Duration.ofSeconds(10));
		assertThat(response.content()).isEqualTo("LLMs are neural networks.");
		assertThat(response.finishReason()).isEqualTo("stop");
		assertThat(response.usage()).isEqualTo(Usage.of(71, 418));
	}

	@Test
	void streamEmitsDeltasThenTheFinalChunk() {
		this.server.enqueue(Reply.split("text/event-stream", STREAM, 10));
		List<ProviderChunk> chunks = provider().stream(request("Hi")).collectList().block(Duration.ofSeconds(10));
		assertThat(chunks).extracting(ProviderChunk::delta).containsExactly("A", " large language model", "");
		assertThat(chunks.get(2).finishReason()).isEqualTo("stop");
		assertThat(chunks.get(2).usage()).isEqualTo(Usage.of(69, 4));
	}

	@Test
	void errorInMessageEndFailsTheStream() {
		// message-end's delta.error: https://docs.cohere.com/reference/chat-stream (ChatMessageEndEvent)
		this.server.enqueue(Reply.sse(STREAM.substring(0, STREAM.indexOf("event: content-end")),
				"event: message-end\ndata: {\"type\":\"message-end\",\"delta\":{\"error\":\"internal server error\",\"finish_reason\":\"ERROR\"}}\n\n"));
		StepVerifier.create(provider().stream(request("Hi")))
			.expectNext(ProviderChunk.text("A"), ProviderChunk.text(" large language model"))
			.expectErrorSatisfies((failure) -> assertThat(((LlmException) failure).category())
				.isEqualTo(ErrorCategory.SERVER_ERROR))
			.verify(Duration.ofSeconds(10));
	}

	@Test
	void toolCallAnsweredWhole() {
		this.server.enqueue(Reply.json(200, MessageFixtures.text(CohereMessagesTests.class, "tools-answer.json")));
		ChatRequest chat = ChatRequest.builder().user("Weather in Toronto?").tool(CohereMessagesTests.WEATHER).build();
		ProviderResponse response = provider().chat(new ProviderRequest("command-a-03-2025", chat))
			.block(Duration.ofSeconds(10));
		assertThat(response.toolCalls())
			.containsExactly(new ToolCall("get_weather_1byjy32y4hvq", "get_weather", "{\"location\":\"Toronto\"}"));
		assertThat(response.finishReason()).isEqualTo("tool_calls");
		JsonNode body = this.server.takeRequest().json();
		assertThat(body.get("tools").get(0).get("function").get("name").stringValue()).isEqualTo("get_weather");
		assertThat(body.get("strict_tools").booleanValue()).isTrue();
	}

	@Test
	void toolCallsStreamedAsDeltas() {
		StringBuilder sse = new StringBuilder();
		for (String line : MessageFixtures.text(CohereMessagesTests.class, "tools-stream.jsonl").split("\n")) {
			int space = line.indexOf(' ');
			sse.append("event: ").append(line, 0, space).append("\ndata: ").append(line.substring(space + 1)).append("\n\n");
		}
		this.server.enqueue(Reply.split("text/event-stream", sse.toString(), 10));
		ChatRequest chat = ChatRequest.builder().user("Weather?").tool(CohereMessagesTests.WEATHER).build();
		List<ProviderChunk> chunks = provider().stream(new ProviderRequest("command-a-03-2025", chat))
			.collectList()
			.block(Duration.ofSeconds(10));
		assertThat(chunks).flatExtracting(ProviderChunk::toolCallDeltas)
			.extracting(ToolCall.Delta::index, ToolCall.Delta::id, ToolCall.Delta::arguments)
			.containsExactly(tuple(0, "get_weather_p0dage9q1nv4", ""), tuple(0, null, "{\n    \""),
					tuple(0, null, "location\": \"Madrid\"\n}"), tuple(1, "get_weather_7b8m2hdv3x1a", ""),
					tuple(1, null, "{\"location\": \"Brasilia\"}"));
		assertThat(chunks.get(chunks.size() - 1).finishReason()).isEqualTo("tool_calls");
		assertThat(chunks).extracting(ProviderChunk::delta).allMatch(String::isEmpty);
	}

	@Test
	void imageTokensAreCoheresMostForOneImage() {
		// 13 tiles of 256 tokens: https://docs.cohere.com/docs/image-inputs
		assertThat(provider().imageTokens()).isEqualTo(3328);
	}

	// Cohere's error body is {"message": "..."} (as pasted in the issue threads below). The
	// messages cited to https://docs.cohere.com/errors-reference are copied from that page's
	// "Example error responses" tables, which list the message only.
	@Test
	void whatTheFormatCannotCarryFailsAsUnsupportedBeforeAnyRequest() {
		ChatRequest chat = ChatRequest.builder().user("Hi").tool(CohereMessagesTests.WEATHER).tool(dev.llmfallback.Tool.function("get_time", null, java.util.Map.of())).toolChoice(dev.llmfallback.ToolChoice.named("get_time")).build();
		assertThat(provider().unsupportedParams(chat)).containsExactly("tool_choice");
		StepVerifier.create(provider().chat(new ProviderRequest("command-a-03-2025", chat)))
			.expectErrorSatisfies((failure) -> assertThat(((LlmException) failure).category())
				.isEqualTo(ErrorCategory.UNSUPPORTED))
			.verify(Duration.ofSeconds(10));
	}

	static Stream<ErrorCase> errors() {
		return Stream.of(
				ErrorCase.of("https://github.com/cohere-ai/cohere-toolkit/issues/857 (401 invalid api token)", 401, """
						{"message": "invalid api token"}
						""", ErrorCategory.AUTHENTICATION, ClassificationBasis.MESSAGE),
				ErrorCase.of("https://docs.cohere.com/errors-reference (401 no api key supplied)", 401, """
						{"message":"no api key supplied"}
						""", ErrorCategory.AUTHENTICATION, ClassificationBasis.MESSAGE),
				ErrorCase.of("https://docs.cohere.com/errors-reference (401 API key has expired)", 401, """
						{"message":"Your API key has expired. Please create a production key at dashboard.cohere.com or reach out to your contact at Cohere to continue usage."}
						""", ErrorCategory.AUTHENTICATION, ClassificationBasis.MESSAGE),
				ErrorCase.of("https://docs.cohere.com/errors-reference (400 too many tokens in the prompt)", 400, """
						{"message":"too many tokens: total number of tokens in the prompt cannot exceed 4081 - received 4292. Try using a shorter prompt, or enabling prompt truncating. See https://docs.cohere.com/reference/generate for more details."}
						""", ErrorCategory.CONTEXT_WINDOW_EXCEEDED, ClassificationBasis.MESSAGE),
				ErrorCase.of("https://docs.cohere.com/errors-reference (400 too many tokens: size limit exceeded)", 400, """
						{"message":"too many tokens: size limit exceeded by 11326 tokens. Try using shorter or fewer inputs, or setting prompt_truncation='AUTO'."}
						""", ErrorCategory.CONTEXT_WINDOW_EXCEEDED, ClassificationBasis.MESSAGE),
				ErrorCase.of("https://docs.cohere.com/errors-reference (400 too many tokens for the output is a bad request)", 400, """
						{"message":"too many tokens: max tokens must be less than or equal to 4096, the maximum output for this model - received 8192."}
						""", ErrorCategory.BAD_REQUEST, ClassificationBasis.STATUS),
				ErrorCase.of("https://github.com/kwaroran/Risuai/issues/504 (400 invalid request)", 400, """
						{"message":"invalid request: message must be at least 1 token long or tool results must be specified."}
						""", ErrorCategory.BAD_REQUEST, ClassificationBasis.STATUS),
				ErrorCase.of("https://docs.cohere.com/errors-reference (429 trial key per minute)", 429, """
						{"message":"You are using a Trial key, which is limited to 40 API calls / minute. You can continue to use the Trial key for free or upgrade to a Production key with higher rate limits at 'https://dashboard.cohere.com/api-keys'. Contact us on 'https://discord.gg/XW44jPfYJu' or email us at support@cohere.com with any questions"}
						""", ErrorCategory.RATE_LIMIT, ClassificationBasis.MESSAGE),
				ErrorCase.of("https://docs.cohere.com/errors-reference (429 trial token rate limit per minute)", 429, """
						{"message":"trial token rate limit exceeded, limit is 100000 tokens per minute"}
						""", ErrorCategory.RATE_LIMIT, ClassificationBasis.MESSAGE),
				// Message as listed in https://github.com/edenai/edenai-apis/blob/master/edenai_apis/apis/cohere/errors.py
				// (a list of Cohere's messages, without status or body): not a captured response. No
				// published capture of the current "1000 API calls / month" wording was found.
				ErrorCase.of("https://github.com/edenai/edenai-apis/blob/master/edenai_apis/apis/cohere/errors.py (429 trial key monthly limit; message only)", 429, """
						{"message":"You are using a Trial key, which is limited to 50 API calls / month. You can continue to use the Trial key for free or upgrade to a Production key with higher rate limits at 'https://dashboard.cohere.ai/api-keys'. Contact us on 'https://discord.gg/XW44jPfYJu' or email us at support@cohere.com with any questions"}
						""", ErrorCategory.QUOTA_EXCEEDED, ClassificationBasis.MESSAGE),
				ErrorCase.of("https://docs.cohere.com/errors-reference (402 add or update your payment method)", 402, """
						{"message":"Please add or update your payment method at https://dashboard.cohere.com/billing?tab=payment to continue"}
						""", ErrorCategory.QUOTA_EXCEEDED, ClassificationBasis.STATUS),
				ErrorCase.of("https://docs.cohere.com/errors-reference (402 maximum billing reached)", 402, """
						{"message":"Maximum billing reached for this API key as set in your dashboard, please go to https://dashboard.cohere.com/billing?tab=payment to increase your maximum amount to continue using this API key. Your billing capacity will reset at the beginning of next month."}
						""", ErrorCategory.QUOTA_EXCEEDED, ClassificationBasis.STATUS),
				ErrorCase.of("https://docs.cohere.com/errors-reference (404 model not found)", 404, """
						{"message":"model 'xyz' not found, make sure the correct model ID was used and that you have access to the model."}
						""", ErrorCategory.NOT_FOUND, ClassificationBasis.MESSAGE),
				// 498 for blocked content: https://github.com/cohere-ai/cohere-developer-experience/pull/189 ;
				// the message as listed in edenai-apis' Cohere error list (message only, not a captured
				// response, and its status there is not stated).
				ErrorCase.of("https://github.com/edenai/edenai-apis/blob/master/edenai_apis/apis/cohere/errors.py (498 blocked output; message only)", 498, """
						{"message":"blocked output: please adjust your prompt and try again, as this generation may be a potential violation of our Usage Guidelines (https://docs.cohere.ai/usage-guidelines/)."}
						""", ErrorCategory.CONTENT_POLICY, ClassificationBasis.MESSAGE),
				ErrorCase.of("https://github.com/BerriAI/litellm/issues/9485 (400 a capability the model lacks)", 400, """
						{"message":"invalid request: generate API is not supported for model 'command-a-03-2025'. Please use the chat API instead"}
						""", ErrorCategory.UNSUPPORTED, ClassificationBasis.MESSAGE),
				ErrorCase.of("https://github.com/cohere-ai/cohere-python/issues/563 (500 internal server error)", 500, """
						{"message": "internal server error, this has been reported to our developers. id b8361921-90ee-4ce3-aa18-f2bdda5a6a8b"}
						""", ErrorCategory.SERVER_ERROR, ClassificationBasis.MESSAGE));
	}

}
