package dev.llmfallback.provider.ollama;

import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

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
 * {@link OllamaChatProvider} against a loopback server replaying Ollama's native API
 * (https://github.com/ollama/ollama/blob/main/docs/api.md#generate-a-chat-completion).
 */
class OllamaChatProviderTests extends AbstractProviderTests {

	private static final String RESPONSE = """
			{"model":"llama3.2","created_at":"2023-12-12T14:13:43.416799Z","message":{"role":"assistant","content":"Hello! How are you today?"},
			 "done":true,"done_reason":"stop","total_duration":5191566416,"load_duration":2154458,"prompt_eval_count":26,
			 "prompt_eval_duration":383809000,"eval_count":298,"eval_duration":4799921000}
			""";

	private static final String STREAM = """
			{"model":"llama3.2","created_at":"2023-08-04T08:52:19.385406455-07:00","message":{"role":"assistant","content":"The","images":null},"done":false}
			{"model":"llama3.2","created_at":"2023-08-04T08:52:19.385406455-07:00","message":{"role":"assistant","content":" sky ☀","images":null},"done":false}
			{"model":"llama3.2","created_at":"2023-08-04T19:22:45.499127Z","message":{"role":"assistant","content":""},"done":true,"done_reason":"stop","total_duration":4883583458,"load_duration":1334875,"prompt_eval_count":26,"prompt_eval_duration":342546000,"eval_count":282,"eval_duration":4535599000}
			""";

	@Override
	protected String plainAnswer() {
		return RESPONSE;
	}

	@Override
	protected String errorBody(String message) {
		return "{\"error\": " + quote(message) + "}";
	}

	@Override
	protected String type() {
		return "ollama";
	}

	@Override
	protected String streamContentType() {
		return "application/x-ndjson";
	}

	@Override
	protected String truncatedStream() {
		return STREAM.substring(0, STREAM.lastIndexOf("{\"model\""));
	}

	@Test
	void chatSendsTheNativeRequestWithOptions() {
		this.server.enqueue(Reply.json(200, RESPONSE));
		ChatRequest chat = ChatRequest.builder()
			.system("Be brief.")
			.user("Hi")
			.temperature(0.1)
			.maxTokens(32)
			.topP(0.5)
			.stop("END")
			.extra("num_ctx", 8192)
			.extra("keep_alive", "5m")
			.build();
		StepVerifier.create(provider(settings().apiKey(null)).chat(new ProviderRequest("llama3.2", chat)))
			.expectNextCount(1)
			.verifyComplete();
		Recorded request = this.server.takeRequest();
		assertThat(request.uri()).isEqualTo("/api/chat");
		assertThat(request.header("Authorization")).isNull();
		JsonNode body = request.json();
		assertThat(body.get("model").stringValue()).isEqualTo("llama3.2");
		assertThat(body.get("stream").asBoolean()).isFalse();
		assertThat(body.get("messages").findValuesAsString("role")).containsExactly("system", "user");
		JsonNode options = body.get("options");
		assertThat(options.get("temperature").asDouble()).isEqualTo(0.1);
		assertThat(options.get("num_predict").asInt()).isEqualTo(32);
		assertThat(options.get("top_p").asDouble()).isEqualTo(0.5);
		assertThat(options.get("stop").toString()).isEqualTo("[\"END\"]");
		assertThat(options.get("num_ctx").asInt()).isEqualTo(8192);
		assertThat(body.get("keep_alive").stringValue()).isEqualTo("5m");
	}

	@Test
	void chatMapsTheAnswer() {
		this.server.enqueue(Reply.json(200, RESPONSE));
		ProviderResponse response = provider().chat(request("Hi")).block(Duration.ofSeconds(10));
		assertThat(response.content()).isEqualTo("Hello! How are you today?");
		assertThat(response.finishReason()).isEqualTo("stop");
		assertThat(response.providerModel()).isEqualTo("llama3.2");
		assertThat(response.usage()).isEqualTo(Usage.of(26, 298));
	}

	@Test
	void streamReadsNdjsonUpToDone() {
		this.server.enqueue(Reply.split("application/x-ndjson", STREAM, 9));
		List<ProviderChunk> chunks = provider().stream(request("Hi")).collectList().block(Duration.ofSeconds(10));
		assertThat(chunks).extracting(ProviderChunk::delta).containsExactly("The", " sky ☀", "");
		ProviderChunk last = chunks.get(2);
		assertThat(last.finishReason()).isEqualTo("stop");
		assertThat(last.usage()).isEqualTo(Usage.of(26, 282));
		assertThat(this.server.takeRequest().json().get("stream").asBoolean()).isTrue();
	}

	@Test
	void ndjsonLabelledAsJsonIsStillReadAsAStream() {
		// A whole JSON answer to a stream is read as that answer; NDJSON under a JSON label stays NDJSON.
		this.server.enqueue(Reply.body(200, "application/json", STREAM));
		List<ProviderChunk> chunks = provider().stream(request("Hi")).collectList().block(Duration.ofSeconds(10));
		assertThat(chunks).extracting(ProviderChunk::delta).containsExactly("The", " sky ☀", "");
		assertThat(chunks.get(2).usage()).isEqualTo(Usage.of(26, 282));
	}

	@Test
	void streamRefusedInAnNdjsonLineIsUnsupported() {
		this.server.enqueue(Reply.ndjson("{\"error\":\"registry.ollama.ai/library/llama2:latest does not support tools\"}\n"));
		expectFailure(provider().stream(request("Hi")), ErrorCategory.UNSUPPORTED, ClassificationBasis.MESSAGE);
	}

	@Test
	void errorLineInsideTheStreamIsClassified() {
		// Errors after the 200 arrive as an NDJSON line with "error":
		// https://github.com/ollama/ollama/blob/main/docs/api.md (streaming errors)
		this.server.enqueue(Reply.ndjson(STREAM.substring(0, STREAM.indexOf('\n') + 1),
				"{\"error\":\"an error was encountered while running the model: unexpected EOF\"}\n"));
		StepVerifier.create(provider().stream(request("Hi")))
			.expectNext(ProviderChunk.text("The"))
			.expectErrorSatisfies((failure) -> {
				assertThat(failure).isInstanceOf(LlmException.class);
				assertThat(((LlmException) failure).category()).isEqualTo(ErrorCategory.SERVER_ERROR);
			})
			.verify(Duration.ofSeconds(10));
	}

	@Test
	void toolCallAnsweredWhole() {
		this.server.enqueue(Reply.json(200, MessageFixtures.text(OllamaMessagesTests.class, "tools-answer.json")));
		ChatRequest chat = ChatRequest.builder().user("Weather?").tool(OllamaMessagesTests.TEMPERATURE).build();
		ProviderResponse response = provider().chat(new ProviderRequest("qwen3", chat)).block(Duration.ofSeconds(10));
		assertThat(response.finishReason()).isEqualTo("tool_calls");
		assertThat(response.toolCalls()).extracting(ToolCall::name).containsExactly("get_temperature", "get_conditions");
		assertThat(response.toolCalls().get(1).id()).isEqualTo("call_x8k2m1");
		JsonNode body = this.server.takeRequest().json();
		assertThat(body.get("tools").get(0).get("function").get("name").stringValue()).isEqualTo("get_temperature");
	}

	@Test
	void toolCallsStreamedWholeOneDeltaEach() {
		this.server.enqueue(Reply.split("application/x-ndjson",
				MessageFixtures.text(OllamaMessagesTests.class, "tools-stream.jsonl"), 9));
		ChatRequest chat = ChatRequest.builder().user("Weather?").tool(OllamaMessagesTests.TEMPERATURE).build();
		List<ProviderChunk> chunks = provider().stream(new ProviderRequest("qwen3", chat))
			.collectList()
			.block(Duration.ofSeconds(10));
		assertThat(chunks).flatExtracting(ProviderChunk::toolCallDeltas)
			.extracting(ToolCall.Delta::index, ToolCall.Delta::name, ToolCall.Delta::arguments)
			.containsExactly(tuple(0, "get_temperature", "{\"city\":\"New York\"}"),
					tuple(1, "get_conditions", "{\"city\":\"New York\"}"));
		assertThat(chunks.get(chunks.size() - 1).finishReason()).isEqualTo("tool_calls");
	}

	@Test
	void imageTokensAreLlavasFigure() {
		assertThat(provider().imageTokens()).isEqualTo(576);
	}

	@Test
	void whatTheFormatCannotCarryFailsAsUnsupportedBeforeAnyRequest() {
		ChatRequest chat = ChatRequest.builder().user("Hi").tool(OllamaMessagesTests.TEMPERATURE).toolChoice(dev.llmfallback.ToolChoice.REQUIRED).build();
		assertThat(provider().unsupportedParams(chat)).containsExactly("tool_choice");
		StepVerifier.create(provider().chat(new ProviderRequest("qwen3", chat)))
			.expectErrorSatisfies((failure) -> assertThat(((LlmException) failure).category())
				.isEqualTo(ErrorCategory.UNSUPPORTED))
			.verify(Duration.ofSeconds(10));
	}

	static Stream<ErrorCase> errors() {
		return Stream.of(
				ErrorCase.of("https://github.com/ollama/ollama/issues/11439 (400 model without thinking)", 400, """
						{"error":"registry.ollama.ai/library/test-deepseekr1:7b does not support thinking"}
						""", ErrorCategory.UNSUPPORTED, ClassificationBasis.MESSAGE),
				ErrorCase.of("https://github.com/ollama/ollama/issues/17301 (400 text-only model given an image; message only)", 400, """
						{"error":"this model does not support image input"}
						""", ErrorCategory.UNSUPPORTED, ClassificationBasis.MESSAGE),
				ErrorCase.of("https://github.com/ollama/ollama/issues/3876 (404 model not found, try pulling it first)", 404, """
						{"error":"model 'llama3' not found, try pulling it first"}
						""", ErrorCategory.NOT_FOUND, ClassificationBasis.MESSAGE),
				ErrorCase.of("https://github.com/yuntianhe2014/Easy-RAG/issues/9 (500 not enough memory)", 500, """
						{"error":"model requires more system memory (3.7 GiB) than is available (3.6 GiB)"}
						""", ErrorCategory.SERVER_ERROR, ClassificationBasis.STATUS),
				ErrorCase.of("https://github.com/ollama/ollama/issues/2225 (500 runner terminated)", 500, """
						{"error":"llama runner process has terminated: exit status 0xc0000409"}
						""", ErrorCategory.SERVER_ERROR, ClassificationBasis.STATUS),
				// Body from the issue; the 503 status from https://github.com/ollama/ollama/pull/4144 ("Return a 503
				// when the server is too busy").
				ErrorCase.of("https://github.com/ollama/ollama/issues/4159 (503 server busy, OLLAMA_MAX_QUEUE)", 503, """
						{"error":"server busy, please try again. maximum pending requests exceeded"}
						""", ErrorCategory.SERVICE_UNAVAILABLE, ClassificationBasis.MESSAGE),
				ErrorCase.of("https://github.com/ollama/ollama/issues/4590 (400 malformed request)", 400, """
						{"error":"json: cannot unmarshal string into Go struct field ChatRequest.messages of type []api.Message"}
						""", ErrorCategory.BAD_REQUEST, ClassificationBasis.STATUS),
				// A capability refusal: the next model may have tools (issue 11; DESIGN "Capabilities").
				ErrorCase.of("https://github.com/ollama/ollama/issues/14795 (400 model does not support tools)", 400, """
						{"error":"registry.ollama.ai/library/Qwen3.5:0.8b does not support tools"}
						""", ErrorCategory.UNSUPPORTED, ClassificationBasis.MESSAGE),
				ErrorCase.of("https://github.com/ollama/ollama-js/issues/213 (more images than the vision model takes; message only, status not given)", 400, """
						{"error":"vision model only supports a single image per message"}
						""", ErrorCategory.UNSUPPORTED, ClassificationBasis.MESSAGE),
				// ollama.com answers a bad key with the plain text "unauthorized", not JSON: the log
				// shows {"_rawText": "unauthorized\n"}.
				ErrorCase.of("https://github.com/diegosouzapw/OmniRoute/issues/1370 (401 unauthorized from ollama.com, plain text)", 401, """
						unauthorized
						""", ErrorCategory.AUTHENTICATION, ClassificationBasis.STATUS));
	}

}
