package dev.llmfallback.provider.openai;

import org.junit.jupiter.api.Test;

import dev.llmfallback.ErrorCategory;
import dev.llmfallback.LlmException.ClassificationBasis;
import dev.llmfallback.Usage;
import dev.llmfallback.provider.EmbeddingLoopback;
import dev.llmfallback.provider.EmbeddingProvider;
import dev.llmfallback.provider.ProviderEmbeddings;
import dev.llmfallback.provider.StubServer.Recorded;
import dev.llmfallback.provider.StubServer.Reply;
import dev.llmfallback.provider.http.Json;

import static dev.llmfallback.provider.Failures.expectFailure;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link OpenAiEmbeddings} against the documented answer of
 * https://platform.openai.com/docs/api-reference/embeddings/create, and the adapter against a
 * loopback server.
 */
class OpenAiEmbeddingsTests extends EmbeddingLoopback {

	// The reference's example answer, with a second item given out of order (servers may).
	static final String ANSWER = """
			{"object": "list",
			 "data": [
			   {"object": "embedding", "embedding": [0.5, -0.25, 0.125], "index": 1},
			   {"object": "embedding", "embedding": [0.0023064255, -0.009327292, -0.0028842222], "index": 0}],
			 "model": "text-embedding-3-small",
			 "usage": {"prompt_tokens": 8, "total_tokens": 8}}
			""";

	@Override
	protected String type() {
		return "openai";
	}

	@Test
	void bodyNamesTheModelAndTheInputsAndAsksForFloats() {
		assertThat(new OpenAiEmbeddings(true).body(request("text-embedding-3-small", 256, null, "a", "b")))
			.isEqualTo(Json.MAPPER.readTree("""
					{"model": "text-embedding-3-small", "input": ["a", "b"], "encoding_format": "float", "dimensions": 256}
					"""));
		assertThat(new OpenAiEmbeddings(false).body(request("deployment", null, null, "a")))
			.isEqualTo(Json.MAPPER.readTree("""
					{"input": ["a"], "encoding_format": "float"}
					"""));
	}

	@Test
	void answerIsPutBackInIndexOrder() {
		ProviderEmbeddings answer = new OpenAiEmbeddings(true).response("p", Json.MAPPER.readTree(ANSWER));
		assertThat(answer.vectors()).hasSize(2);
		assertThat(answer.vectors().get(0)).containsExactly(0.0023064255f, -0.009327292f, -0.0028842222f);
		assertThat(answer.vectors().get(1)).containsExactly(0.5f, -0.25f, 0.125f);
		assertThat(answer.providerModel()).isEqualTo("text-embedding-3-small");
		assertThat(answer.usage()).isEqualTo(new Usage(8, 0, 8));
	}

	@Test
	void embedsOverLoopbackWithABearerKey() {
		this.server.enqueue(Reply.json(200, ANSWER));
		EmbeddingProvider provider = provider();

		ProviderEmbeddings answer = await(provider.embed(request("text-embedding-3-small", null, null, "x", "y")));

		Recorded recorded = this.server.takeRequest();
		assertThat(recorded.uri()).endsWith("/embeddings");
		assertThat(recorded.header("Authorization")).isEqualTo("Bearer " + KEY);
		assertThat(recorded.json().get("input").size()).isEqualTo(2);
		assertThat(answer.vectors()).hasSize(2);
		assertThat(provider.maxBatchSize()).isEqualTo(2048);
	}

	@Test
	void aLargeBatchsAnswerMayExceedMaxResponseBytesByWhatItsVectorsNeedAndNoMore() {
		// 40 vectors of 256 numbers: about 150 KB of JSON, over a 64 KiB max-response-bytes.
		StringBuilder answer = new StringBuilder("{\"object\": \"list\", \"model\": \"m\", \"data\": [");
		String[] inputs = new String[40];
		for (int i = 0; i < inputs.length; i++) {
			inputs[i] = "text " + i;
			answer.append((i > 0) ? "," : "").append("{\"object\": \"embedding\", \"index\": ").append(i).append(", \"embedding\": [");
			for (int d = 0; d < 256; d++) {
				answer.append((d > 0) ? ", " : "").append("-0.0069292835");
			}
			answer.append("]}");
		}
		String body = answer.append("]}").toString();
		assertThat(body.length()).isGreaterThan(2 * 65_536);
		EmbeddingProvider provider = provider(settings().maxResponseBytes(65_536));

		this.server.enqueue(Reply.json(200, body));
		ProviderEmbeddings embeddings = await(provider.embed(request("m", 256, null, inputs)));
		assertThat(embeddings.vectors()).hasSize(40).allSatisfy((vector) -> assertThat(vector).hasSize(256));

		// The same answer to a call for one input is far beyond what one vector needs: refused.
		this.server.enqueue(Reply.json(200, body));
		expectFailure(provider.embed(request("m", 256, null, "one")), ErrorCategory.INVALID_RESPONSE, null);
	}

	@Test
	void anInputAboveTheModelsContextIsContextWindowExceeded() {
		// An input over the window: OpenAI's invalid_request_error with its context-length wording (the wording,
		// not a code, is what older OpenAI models and compatible servers give; BuiltInRules match it).
		this.server.enqueue(Reply.json(400, """
				{"error": {"message": "This model's maximum context length is 8192 tokens, however you requested 9006 tokens (9006 in your prompt; 0 for the completion). Please reduce your prompt; or completion length.",
				 "type": "invalid_request_error", "param": null, "code": null}}
				"""));
		expectFailure(provider().embed(request("text-embedding-3-small", null, null, "long")),
				ErrorCategory.CONTEXT_WINDOW_EXCEEDED, null);
	}

	@Test
	void aMalformedVectorIsAnInvalidResponse() {
		this.server.enqueue(Reply.json(200, """
				{"object": "list", "data": [{"object": "embedding", "embedding": "AAAAAA==", "index": 0}], "model": "m"}
				"""));
		expectFailure(provider().embed(request("m", null, null, "x")), ErrorCategory.INVALID_RESPONSE,
				ClassificationBasis.BODY);
	}

	@Test
	void rateLimitsAreClassifiedWithTheirRetryAfter() {
		// OpenAI's documented 429 body (platform.openai.com/docs/guides/error-codes).
		this.server.enqueue(Reply.json(429, """
				{"error": {"message": "Rate limit reached for text-embedding-3-small in organization org-x on requests per min (RPM): Limit 3000, Used 3000, Requested 1.",
				 "type": "requests", "param": null, "code": "rate_limit_exceeded"}}
				""").header("Retry-After", "2"));
		assertThat(expectFailure(provider().embed(request("m", null, null, "x")), ErrorCategory.RATE_LIMIT, null)
			.retryAfter()).isNotNull();
	}

}
