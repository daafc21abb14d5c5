package dev.llmfallback.provider.openai;

import java.util.ArrayList;
import java.util.List;

import dev.llmfallback.ErrorCategory;
import dev.llmfallback.LlmException;
import dev.llmfallback.provider.ChatProvider;
import dev.llmfallback.provider.ChatProviders;
import dev.llmfallback.provider.ClassificationRules;
import dev.llmfallback.provider.MessageFixtures;
import dev.llmfallback.provider.ProviderRequest;
import dev.llmfallback.provider.ProviderSettings;
import dev.llmfallback.provider.StubServer;
import dev.llmfallback.provider.StubServer.Reply;
import dev.llmfallback.ChatRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

import static dev.llmfallback.provider.Failures.expectFailure;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The error bodies of OpenAI and OpenAI-compatible servers in {@code error-corpus.json} (each with
 * its source: an issue thread, or the server's source file), answered by a loopback server to the
 * {@code openai} adapter, whole and streamed, and classified by its rules: OpenAI's capability
 * refusals and those of vLLM, llama-server, LM Studio, Groq and OpenRouter are {@code unsupported};
 * their current context-length wordings {@code context_window_exceeded}.
 */
class OpenAiErrorCorpusTests {

	private static StubServer server;

	private static ChatProvider provider;

	@BeforeAll
	static void start() {
		server = StubServer.start();
		provider = ChatProviders.create(ProviderSettings.builder("corpus", "openai")
			.baseUrl(server.url() + "/v1")
			.apiKey("sk-corpus")
			.build(), null, ClassificationRules.none());
	}

	@AfterAll
	static void stop() throws Exception {
		((AutoCloseable) provider).close();
		server.close();
	}

	static List<Arguments> corpus() {
		List<Arguments> cases = new ArrayList<>();
		for (JsonNode row : MessageFixtures.json(OpenAiErrorCorpusTests.class, "error-corpus.json").get("cases")) {
			cases.add(Arguments.of(row.get("source").stringValue(), row.get("status").asInt(),
					row.get("body").stringValue(), ErrorCategory.fromId(row.get("category").stringValue())));
		}
		return cases;
	}

	@ParameterizedTest(name = "{0}: {1} -> {3}")
	@MethodSource("corpus")
	void classifies(String source, int status, String body, ErrorCategory expected) {
		server.enqueue(Reply.json(status, body));
		LlmException failure = expectFailure(provider.chat(request()), expected, null);
		assertThat(failure.httpStatus()).isEqualTo(status);
		server.takeRequest();
	}

	@ParameterizedTest(name = "{0}: {1} -> {3}, streamed")
	@MethodSource("corpus")
	void classifiesStreams(String source, int status, String body, ErrorCategory expected) {
		server.enqueue(Reply.json(status, body));
		expectFailure(provider.stream(request()), expected, null);
		server.takeRequest();
	}

	private static ProviderRequest request() {
		return new ProviderRequest("test-model", ChatRequest.of("Hi"));
	}

}
