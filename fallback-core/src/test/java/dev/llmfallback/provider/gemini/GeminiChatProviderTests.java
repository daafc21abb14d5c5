package dev.llmfallback.provider.gemini;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import dev.llmfallback.ChatMessage;
import dev.llmfallback.ChatRequest;
import dev.llmfallback.ContentPart;
import dev.llmfallback.ErrorCategory;
import dev.llmfallback.LlmException;
import dev.llmfallback.LlmException.ClassificationBasis;
import dev.llmfallback.Tool;
import dev.llmfallback.ToolCall;
import dev.llmfallback.ToolChoice;
import dev.llmfallback.Usage;
import dev.llmfallback.provider.AbstractProviderTests;
import dev.llmfallback.provider.ChatProvider;
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
 * {@link GeminiChatProvider} against a loopback server replaying the Gemini API wire format
 * (https://ai.google.dev/api/generate-content, https://ai.google.dev/gemini-api/docs/troubleshooting).
 */
class GeminiChatProviderTests extends AbstractProviderTests {

	// https://ai.google.dev/api/generate-content#v1beta.GenerateContentResponse
	private static final String RESPONSE = """
			{"candidates": [{"content": {"parts": [{"text": "Paris is the capital of France."}], "role": "model"},
			   "finishReason": "STOP", "avgLogprobs": -0.02, "index": 0}],
			 "usageMetadata": {"promptTokenCount": 7, "candidatesTokenCount": 8, "totalTokenCount": 15,
			   "promptTokensDetails": [{"modality": "TEXT", "tokenCount": 7}]},
			 "modelVersion": "gemini-2.0-flash", "responseId": "abc"}
			""";

	// streamGenerateContent?alt=sse: https://ai.google.dev/api/generate-content#method:-models.streamgeneratecontent
	private static final String STREAM = """
			data: {"candidates": [{"content": {"parts": [{"text": "The"}],"role": "model"},"index": 0}],"usageMetadata": {"promptTokenCount": 8,"totalTokenCount": 8},"modelVersion": "gemini-2.0-flash"}

			data: {"candidates": [{"content": {"parts": [{"text": " sky is blue"}],"role": "model"},"index": 0}],"usageMetadata": {"promptTokenCount": 8,"totalTokenCount": 8},"modelVersion": "gemini-2.0-flash"}

			data: {"candidates": [{"content": {"parts": [{"text": "."}],"role": "model"},"finishReason": "STOP","index": 0}],"usageMetadata": {"promptTokenCount": 8,"candidatesTokenCount": 5,"totalTokenCount": 13},"modelVersion": "gemini-2.0-flash"}

			""";

	@Override
	protected String plainAnswer() {
		return RESPONSE;
	}

	@Override
	protected String errorBody(String message) {
		return "{\"error\": {\"code\": 400, \"message\": " + quote(message) + ", \"status\": \"INVALID_ARGUMENT\"}}";
	}

	@Override
	protected String type() {
		return "gemini";
	}

	@Override
	protected String truncatedStream() {
		return STREAM.substring(0, STREAM.lastIndexOf("data: "));
	}

	@Test
	void chatSendsTheGenerateContentRequest() {
		this.server.enqueue(Reply.json(200, RESPONSE));
		ChatRequest chat = ChatRequest.builder()
			.system("Be brief.")
			.user("Hi")
			.assistant("Hello")
			.user("Capital of France?")
			.temperature(0.2)
			.maxTokens(64)
			.topP(0.95)
			.stop("END")
			.extra("topK", 40)
			.extra("safetySettings", List.of(Map.of("category", "HARM_CATEGORY_HARASSMENT", "threshold", "BLOCK_NONE")))
			.build();
		StepVerifier.create(provider().chat(new ProviderRequest("gemini-2.0-flash", chat))).expectNextCount(1).verifyComplete();
		Recorded request = this.server.takeRequest();
		assertThat(request.uri()).isEqualTo("/v1beta/models/gemini-2.0-flash:generateContent");
		assertThat(request.header("x-goog-api-key")).isEqualTo(KEY);
		JsonNode body = request.json();
		assertThat(body.get("systemInstruction").get("parts").get(0).get("text").stringValue()).isEqualTo("Be brief.");
		assertThat(body.get("contents").findValuesAsString("role")).containsExactly("user", "model", "user");
		assertThat(body.get("contents").get(2).get("parts").get(0).get("text").stringValue()).isEqualTo("Capital of France?");
		JsonNode config = body.get("generationConfig");
		assertThat(config.get("temperature").asDouble()).isEqualTo(0.2);
		assertThat(config.get("maxOutputTokens").asInt()).isEqualTo(64);
		assertThat(config.get("topP").asDouble()).isEqualTo(0.95);
		assertThat(config.get("stopSequences").toString()).isEqualTo("[\"END\"]");
		assertThat(config.get("topK").asInt()).isEqualTo(40);
		assertThat(body.get("safetySettings").get(0).get("threshold").stringValue()).isEqualTo("BLOCK_NONE");
	}

	@Test
	void chatMapsTheAnswer() {
		this.server.enqueue(Reply.json(200, RESPONSE));
		ProviderResponse response = provider().chat(request("Hi")).block(Duration.ofSeconds(10));
		assertThat(response.content()).isEqualTo("Paris is the capital of France.");
		assertThat(response.finishReason()).isEqualTo("stop");
		assertThat(response.providerModel()).isEqualTo("gemini-2.0-flash");
		assertThat(response.usage()).isEqualTo(new Usage(7, 8, 15));
	}

	@Test
	void oneProviderPostsEachModelAndModeToItsOwnEndpoint() {
		// The client keeps each endpoint's request built: calls alternating between models and between
		// whole and streamed answers must each still reach their own URI.
		ChatProvider provider = provider();
		List<String> expected = new ArrayList<>();
		for (String model : List.of("gemini-2.0-flash", "gemini-2.5-pro", "gemini-2.0-flash", "gemini-2.5-pro")) {
			this.server.enqueue(Reply.json(200, RESPONSE));
			provider.chat(new ProviderRequest(model, ChatRequest.of("Hi"))).block(Duration.ofSeconds(10));
			expected.add("/v1beta/models/" + model + ":generateContent");
			this.server.enqueue(Reply.split("text/event-stream", STREAM, 64));
			provider.stream(new ProviderRequest(model, ChatRequest.of("Hi"))).blockLast(Duration.ofSeconds(10));
			expected.add("/v1beta/models/" + model + ":streamGenerateContent?alt=sse");
		}
		List<String> seen = new ArrayList<>();
		for (int i = 0; i < expected.size(); i++) {
			seen.add(this.server.takeRequest().uri());
		}
		assertThat(seen).isEqualTo(expected);
	}

	@Test
	void maxTokensFinishIsLength() {
		this.server.enqueue(Reply.json(200, RESPONSE.replace("\"STOP\"", "\"MAX_TOKENS\"")));
		assertThat(provider().chat(request("Hi")).block(Duration.ofSeconds(10)).finishReason()).isEqualTo("length");
	}

	@Test
	void streamUsesAltSseAndEmitsDeltasThenTheFinalChunk() {
		this.server.enqueue(Reply.split("text/event-stream", STREAM, 13));
		List<ProviderChunk> chunks = provider().stream(new ProviderRequest("models/gemini-2.0-flash", ChatRequest.of("Hi")))
			.collectList()
			.block(Duration.ofSeconds(10));
		assertThat(chunks).extracting(ProviderChunk::delta).containsExactly("The", " sky is blue", ".", "");
		ProviderChunk last = chunks.get(3);
		assertThat(last.finishReason()).isEqualTo("stop");
		assertThat(last.usage()).isEqualTo(new Usage(8, 5, 13));
		assertThat(last.providerModel()).isEqualTo("gemini-2.0-flash");
		assertThat(this.server.takeRequest().uri()).isEqualTo("/v1beta/models/gemini-2.0-flash:streamGenerateContent?alt=sse");
	}

	// Function calling: https://ai.google.dev/gemini-api/docs/function-calling
	private static final String TOOL_ANSWER = """
			{"candidates": [{"content": {"role": "model", "parts": [
			   {"functionCall": {"name": "get_weather", "args": {"city": "Paris"}}, "thoughtSignature": "CiQB0e2Kb1"}]},
			  "finishReason": "STOP", "index": 0}],
			 "usageMetadata": {"promptTokenCount": 30, "candidatesTokenCount": 6, "totalTokenCount": 36},
			 "modelVersion": "gemini-2.5-flash"}
			""";

	private static ProviderRequest toolRequest() {
		return new ProviderRequest("gemini-2.5-flash", ChatRequest.builder()
			.user("Weather in Paris?")
			.tool(Tool.function("get_weather", "Current weather in a city",
					Map.of("type", "object", "properties", Map.of("city", Map.of("type", "string")), "required", List.of("city"))))
			.toolChoice(ToolChoice.REQUIRED)
			.build());
	}

	@Test
	void toolCallAnsweredWhole() {
		this.server.enqueue(Reply.json(200, TOOL_ANSWER));
		ProviderResponse response = provider().chat(toolRequest()).block(Duration.ofSeconds(10));
		assertThat(response.finishReason()).isEqualTo("tool_calls");
		assertThat(response.toolCalls()).singleElement().satisfies((call) -> {
			assertThat(call.name()).isEqualTo("get_weather");
			assertThat(call.arguments()).isEqualTo("{\"city\":\"Paris\"}");
			assertThat(call.id()).startsWith("call_");
		});
		JsonNode body = this.server.takeRequest().json();
		assertThat(body.at("/tools/0/functionDeclarations/0/name").stringValue()).isEqualTo("get_weather");
		assertThat(body.at("/toolConfig/functionCallingConfig/mode").stringValue()).isEqualTo("ANY");
	}

	@Test
	void toolCallStreamedWhole() {
		this.server.enqueue(Reply.split("text/event-stream", "data: " + TOOL_ANSWER.replace("\n", "") + "\n\n", 17));
		List<ProviderChunk> chunks = provider().stream(toolRequest()).collectList().block(Duration.ofSeconds(10));
		assertThat(chunks).hasSize(2);
		ToolCall.Delta delta = chunks.get(0).toolCallDeltas().get(0);
		assertThat(delta.index()).isZero();
		assertThat(delta.name()).isEqualTo("get_weather");
		assertThat(delta.arguments()).isEqualTo("{\"city\":\"Paris\"}");
		assertThat(chunks.get(1).finishReason()).isEqualTo("tool_calls");
		assertThat(chunks.get(1).usage()).isEqualTo(new Usage(30, 6, 36));
	}

	@Test
	void aUrlImageIsUnsupportedBeforeAnyRequest() {
		ProviderRequest request = new ProviderRequest("gemini-2.5-flash", ChatRequest.builder()
			.message(ChatMessage.user(ContentPart.text("What is this?"), ContentPart.imageUrl("https://example.com/cat.png")))
			.build());
		assertThat(provider().unsupportedParams(request.request())).containsExactly("image_url");
		LlmException failure = expectFailure(provider().chat(request), ErrorCategory.UNSUPPORTED, null);
		assertThat(failure.getMessage()).contains("image_url");
	}

	@Test
	void imagesCountAsOneTileOf258Tokens() {
		assertThat(provider().imageTokens()).isEqualTo(258);
	}

	@Test
	void safetyFinishReasonIsContentPolicy() {
		// finishReason SAFETY: https://ai.google.dev/api/generate-content#FinishReason
		this.server.enqueue(Reply.json(200, """
				{"candidates": [{"finishReason": "SAFETY", "index": 0, "safetyRatings": [
				  {"category": "HARM_CATEGORY_DANGEROUS_CONTENT", "probability": "HIGH", "blocked": true}]}],
				 "usageMetadata": {"promptTokenCount": 12, "totalTokenCount": 12}, "modelVersion": "gemini-2.0-flash"}
				"""));
		LlmException failure = expectFailure(provider().chat(request("Hi")), ErrorCategory.CONTENT_POLICY,
				ClassificationBasis.BODY);
		assertThat(failure.getMessage()).contains("SAFETY");
	}

	@Test
	void promptBlockReasonIsContentPolicy() {
		// promptFeedback.blockReason: https://ai.google.dev/api/generate-content#PromptFeedback
		this.server.enqueue(Reply.json(200, """
				{"promptFeedback": {"blockReason": "PROHIBITED_CONTENT"}, "usageMetadata": {"promptTokenCount": 9, "totalTokenCount": 9},
				 "modelVersion": "gemini-2.0-flash"}
				"""));
		expectFailure(provider().chat(request("Hi")), ErrorCategory.CONTENT_POLICY, ClassificationBasis.BODY);
	}

	@Test
	void safetyBlockInsideTheStreamIsContentPolicy() {
		this.server.enqueue(Reply.sse(STREAM.substring(0, STREAM.indexOf("data: ")) + """
				data: {"candidates": [{"content": {"parts": [{"text": "Sure"}],"role": "model"},"index": 0}],"modelVersion": "gemini-2.0-flash"}

				data: {"candidates": [{"finishReason": "SAFETY","index": 0}],"modelVersion": "gemini-2.0-flash"}

				"""));
		StepVerifier.create(provider().stream(request("Hi")))
			.expectNext(ProviderChunk.text("Sure"))
			.expectErrorSatisfies((failure) -> assertThat(((LlmException) failure).category())
				.isEqualTo(ErrorCategory.CONTENT_POLICY))
			.verify(Duration.ofSeconds(10));
	}

	@Test
	void perMinuteQuotaIsARateLimitThatHonoursRetryInfo() {
		// https://github.com/RooCodeInc/Roo-Code/issues/3883
		this.server.enqueue(Reply.json(429, """
				{"error": {"code": 429, "message": "You exceeded your current quota, please check your plan and billing details. For more information on this error, head to: https://ai.google.dev/gemini-api/docs/rate-limits.",
				  "status": "RESOURCE_EXHAUSTED",
				  "details": [
				    {"@type": "type.googleapis.com/google.rpc.QuotaFailure", "violations": [{"quotaMetric": "generativelanguage.googleapis.com/generate_content_free_tier_input_token_count", "quotaId": "GenerateContentInputTokensPerModelPerMinute-FreeTier", "quotaDimensions": {"location": "global", "model": "gemini-2.5-flash"}, "quotaValue": "250000"}]},
				    {"@type": "type.googleapis.com/google.rpc.Help", "links": [{"description": "Learn more about Gemini API quotas", "url": "https://ai.google.dev/gemini-api/docs/rate-limits"}]},
				    {"@type": "type.googleapis.com/google.rpc.RetryInfo", "retryDelay": "26s"}]}}
				"""));
		LlmException failure = expectFailure(provider().chat(request("Hi")), ErrorCategory.RATE_LIMIT,
				ClassificationBasis.CODE);
		assertThat(failure.retryAfter()).isEqualTo(Duration.ofSeconds(26));
	}

	static Stream<ErrorCase> errors() {
		return Stream.of(
				ErrorCase.of("https://github.com/continuedev/continue/issues/10077 (API_KEY_INVALID)", 400, """
						{"error": {"code": 400, "message": "API key not valid. Please pass a valid API key.", "status": "INVALID_ARGUMENT",
						  "details": [{"@type": "type.googleapis.com/google.rpc.ErrorInfo", "reason": "API_KEY_INVALID", "domain": "googleapis.com", "metadata": {"service": "generativelanguage.googleapis.com"}},
						    {"@type": "type.googleapis.com/google.rpc.LocalizedMessage", "locale": "en-US", "message": "API key not valid. Please pass a valid API key."}]}}
						""", ErrorCategory.AUTHENTICATION, ClassificationBasis.CODE),
				ErrorCase.of("https://github.com/google-gemini/gemini-cli/issues/8437 (daily quota among the violations)", 429, """
						{"error": {"code": 429, "message": "You exceeded your current quota, please check your plan and billing details. For more information on this error, head to: https://ai.google.dev/gemini-api/docs/rate-limits.", "status": "RESOURCE_EXHAUSTED",
						  "details": [{"@type": "type.googleapis.com/google.rpc.QuotaFailure", "violations": [
						    {"quotaMetric": "generativelanguage.googleapis.com/generate_content_free_tier_input_token_count", "quotaId": "GenerateContentInputTokensPerModelPerMinute-FreeTier", "quotaDimensions": {"location": "global", "model": "gemini-2.5-flash-preview-image"}},
						    {"quotaMetric": "generativelanguage.googleapis.com/generate_content_free_tier_requests", "quotaId": "GenerateRequestsPerMinutePerProjectPerModel-FreeTier", "quotaDimensions": {"location": "global", "model": "gemini-2.5-flash-preview-image"}},
						    {"quotaMetric": "generativelanguage.googleapis.com/generate_content_free_tier_requests", "quotaId": "GenerateRequestsPerDayPerProjectPerModel-FreeTier", "quotaDimensions": {"model": "gemini-2.5-flash-preview-image", "location": "global"}}]}]}}
						""", ErrorCategory.QUOTA_EXCEEDED, ClassificationBasis.CODE),
				ErrorCase.of("https://github.com/google-gemini/gemini-cli/issues/2020 (generic RESOURCE_EXHAUSTED)", 429, """
						{"error": {"code": 429, "message": "Resource has been exhausted (e.g. check quota).", "status": "RESOURCE_EXHAUSTED"}}
						""", ErrorCategory.RATE_LIMIT, ClassificationBasis.MESSAGE),
				ErrorCase.of("https://github.com/google-gemini/gemini-cli/issues/4231 (input token count exceeds)", 400, """
						{"error": {"code": 400, "message": "The input token count (3475108) exceeds the maximum number of tokens allowed (1048576).", "status": "INVALID_ARGUMENT"}}
						""", ErrorCategory.CONTEXT_WINDOW_EXCEEDED, ClassificationBasis.MESSAGE),
				ErrorCase.of("https://github.com/google-gemini/gemini-cli/issues/6678 (Vertex array form)", 400, """
						[{"error": {"code": 400, "message": "The input token count (1200293) exceeds the maximum number of tokens allowed (1048576).",
						  "errors": [{"message": "The input token count (1200293) exceeds the maximum number of tokens allowed (1048576).", "domain": "global", "reason": "badRequest"}],
						  "status": "INVALID_ARGUMENT"}}]
						""", ErrorCategory.CONTEXT_WINDOW_EXCEEDED, ClassificationBasis.MESSAGE),
				ErrorCase.of("https://github.com/google-gemini/gemini-cli/issues/5191 (503 model overloaded)", 503, """
						{"error":{"code":503,"message":"The model is overloaded. Please try again later.","status":"UNAVAILABLE"}}
						""", ErrorCategory.SERVICE_UNAVAILABLE, ClassificationBasis.MESSAGE),
				ErrorCase.of("https://github.com/PublicAffairs/openai-gemini/issues/15 (500 INTERNAL)", 500, """
						{"error": {"code": 500, "message": "An internal error has occurred. Please retry or report in https://developers.generativeai.google/guide/troubleshooting", "status": "INTERNAL"}}
						""", ErrorCategory.SERVER_ERROR, ClassificationBasis.MESSAGE),
				// Illustrative, shaped after https://ai.google.dev/gemini-api/docs/troubleshooting (504
				// DEADLINE_EXCEEDED); no verbatim body was found in a thread.
				ErrorCase.of("Illustrative, after https://ai.google.dev/gemini-api/docs/troubleshooting (504 DEADLINE_EXCEEDED)", 504, """
						{"error": {"code": 504, "message": "Deadline expired before operation could complete.", "status": "DEADLINE_EXCEEDED"}}
						""", ErrorCategory.TIMEOUT, ClassificationBasis.MESSAGE),
				ErrorCase.of("https://github.com/wwardaww/gnome-gemini-ai/issues/21 (404 model not found)", 404, """
						{"error": {"code": 404, "message": "models/gemini-1.0-pro is not found for API version v1beta, or is not supported for generateContent. Call ListModels to see the list of available models and their supported methods.", "status": "NOT_FOUND"}}
						""", ErrorCategory.NOT_FOUND, ClassificationBasis.MESSAGE),
				ErrorCase.of("https://github.com/continuedev/continue/issues/11541 (403 key reported as leaked)", 403, """
						{
						  "error": {
						    "code": 403,
						    "message": "Your API key was reported as leaked. Please use another API key.",
						    "status": "PERMISSION_DENIED"
						  }
						}
						""", ErrorCategory.PERMISSION_DENIED, ClassificationBasis.CODE),
				ErrorCase.of("https://github.com/poenl/gemini-api/issues/8 (403 project denied access)", 403, """
						{"error": {"code": 403, "message": "Your project has been denied access. Please contact support.", "status": "PERMISSION_DENIED"}}
						""", ErrorCategory.PERMISSION_DENIED, ClassificationBasis.CODE),
				ErrorCase.of("https://github.com/gemini-api-php/client/issues/32 (user location not supported)", 400, """
						{ "error": { "code": 400, "message": "User location is not supported for the API use.", "status": "FAILED_PRECONDITION" } }
						""", ErrorCategory.PERMISSION_DENIED, ClassificationBasis.MESSAGE),
				// Capability refusals (issue 13, point 9): unsupported, the next model may have it.
				ErrorCase.of("https://github.com/musistudio/claude-code-router/issues/187 (schema keyword outside Gemini's subset)", 400, """
						{"error": {"code": 400, "message": "Invalid JSON payload received. Unknown name \\"additionalProperties\\" at 'tools[0].function_declarations[34].parameters.properties[6].value.items.any_of[0]': Cannot find field.\\nInvalid JSON payload received. Unknown name \\"additionalProperties\\" at 'tools[0].function_declarations[34].parameters.properties[6].value.items.any_of[1]': Cannot find field.",
						  "status": "INVALID_ARGUMENT",
						  "details": [{"@type": "type.googleapis.com/google.rpc.BadRequest", "fieldViolations": [
						    {"field": "tools[0].function_declarations[34].parameters.properties[6].value.items.any_of[0]", "description": "Invalid JSON payload received. Unknown name \\"additionalProperties\\" at 'tools[0].function_declarations[34].parameters.properties[6].value.items.any_of[0]': Cannot find field."},
						    {"field": "tools[0].function_declarations[34].parameters.properties[6].value.items.any_of[1]", "description": "Invalid JSON payload received. Unknown name \\"additionalProperties\\" at 'tools[0].function_declarations[34].parameters.properties[6].value.items.any_of[1]': Cannot find field."}]}]}}
						""", ErrorCategory.UNSUPPORTED, ClassificationBasis.MESSAGE),
				// The issue shows the message only; the envelope is Gemini's standard error, as above.
				ErrorCase.of("https://github.com/crmne/ruby_llm/issues/730 (unknown top-level field; message only)", 400, """
						{"error": {"code": 400, "message": "Invalid JSON payload received. Unknown name \\"response_format\\": Cannot find field.", "status": "INVALID_ARGUMENT"}}
						""", ErrorCategory.UNSUPPORTED, ClassificationBasis.MESSAGE),
				ErrorCase.of("https://github.com/agno-agi/agno/issues/3505 (function calling on a Gemma model)", 400, """
						{"error": {"code": 400, "message": "Function calling is not enabled for models/gemma-3-12b-it", "status": "INVALID_ARGUMENT"}}
						""", ErrorCategory.UNSUPPORTED, ClassificationBasis.MESSAGE),
				// The pull request shows the message only; the envelope is Gemini's standard error.
				ErrorCase.of("https://github.com/FirebaseExtended/compass-ai-travel-planning-sample-flutter/pull/40 (JSON mode on a Gemma model; message only)", 400, """
						{"error": {"code": 400, "message": "JSON mode is not enabled for models/gemma-3-27b-it", "status": "INVALID_ARGUMENT"}}
						""", ErrorCategory.UNSUPPORTED, ClassificationBasis.MESSAGE),
				ErrorCase.of("https://github.com/google-gemini/deprecated-generative-ai-js/issues/241 (forced function calling refused)", 400, """
						{"error": {"code": 400, "message": "Function calling mode `ANY` is not enabled for api version v1beta", "status": "INVALID_ARGUMENT"}}
						""", ErrorCategory.UNSUPPORTED, ClassificationBasis.MESSAGE),
				ErrorCase.of("https://github.com/snailyp/gemini-balance/issues/337 (code execution on a Gemma model)", 400, """
						{"error": {"code": 400, "message": "Code execution is not enabled for models/gemma-3-27b-it", "status": "INVALID_ARGUMENT"}}
						""", ErrorCategory.UNSUPPORTED, ClassificationBasis.MESSAGE));
	}

}
