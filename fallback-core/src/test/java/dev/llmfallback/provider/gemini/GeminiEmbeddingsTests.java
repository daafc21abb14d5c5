package dev.llmfallback.provider.gemini;

import org.junit.jupiter.api.Test;

import dev.llmfallback.EmbeddingRequest.InputType;
import dev.llmfallback.ErrorCategory;
import dev.llmfallback.provider.EmbeddingLoopback;
import dev.llmfallback.provider.EmbeddingProvider;
import dev.llmfallback.provider.ProviderEmbeddings;
import dev.llmfallback.provider.StubServer.Recorded;
import dev.llmfallback.provider.StubServer.Reply;
import dev.llmfallback.provider.http.Json;

import static dev.llmfallback.provider.Failures.expectFailure;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link GeminiEmbeddings} against the shapes of
 * https://ai.google.dev/api/embeddings#method:-models.batchembedcontents, and the adapter against a
 * loopback server.
 */
class GeminiEmbeddingsTests extends EmbeddingLoopback {

	static final String ANSWER = """
			{"embeddings": [{"values": [0.013168523, -0.008711934, -0.046782676]},
			                {"values": [0.5, 0.25, -0.125]}]}
			""";

	@Override
	protected String type() {
		return "gemini";
	}

	@Test
	void bodyHasOneRequestPerInputWithTaskTypeAndDimensionality() {
		assertThat(new GeminiEmbeddings().body(request("text-embedding-004", 256, InputType.QUERY, "a", "b")))
			.isEqualTo(Json.MAPPER.readTree("""
					{"requests": [
					  {"model": "models/text-embedding-004", "content": {"parts": [{"text": "a"}]},
					   "taskType": "RETRIEVAL_QUERY", "outputDimensionality": 256},
					  {"model": "models/text-embedding-004", "content": {"parts": [{"text": "b"}]},
					   "taskType": "RETRIEVAL_QUERY", "outputDimensionality": 256}]}
					"""));
		assertThat(new GeminiEmbeddings().body(request("models/gemini-embedding-001", null, InputType.DOCUMENT, "a"))
			.get("requests").get(0).get("taskType").asString()).isEqualTo("RETRIEVAL_DOCUMENT");
	}

	@Test
	void answerInRequestOrder() {
		ProviderEmbeddings answer = new GeminiEmbeddings().response("p", Json.MAPPER.readTree(ANSWER));
		assertThat(answer.vectors().get(0)).containsExactly(0.013168523f, -0.008711934f, -0.046782676f);
		assertThat(answer.vectors().get(1)).containsExactly(0.5f, 0.25f, -0.125f);
	}

	@Test
	void embedsOverLoopbackWithTheGoogleKeyHeader() {
		this.server.enqueue(Reply.json(200, ANSWER));
		EmbeddingProvider provider = provider();

		ProviderEmbeddings answer = await(provider.embed(request("text-embedding-004", null, null, "x", "y")));

		Recorded recorded = this.server.takeRequest();
		assertThat(recorded.uri()).endsWith("/v1beta/models/text-embedding-004:batchEmbedContents");
		assertThat(recorded.header("x-goog-api-key")).isEqualTo(KEY);
		assertThat(answer.vectors()).hasSize(2);
		assertThat(provider.maxBatchSize()).isEqualTo(100);
	}

	@Test
	void aBatchAboveTheLimitIsABadRequestAndQuotaIsARateLimit() {
		// google.rpc.Status bodies as the Gemini API answers them (ai.google.dev/gemini-api/docs/troubleshooting).
		this.server.enqueue(Reply.json(400, """
				{"error": {"code": 400, "message": "* BatchEmbedContentsRequest.requests: at most 100 requests can be in one batch\\n", "status": "INVALID_ARGUMENT"}}
				"""));
		expectFailure(provider().embed(request("text-embedding-004", null, null, "x")), ErrorCategory.BAD_REQUEST, null);
		this.server.enqueue(Reply.json(429, """
				{"error": {"code": 429, "message": "Resource has been exhausted (e.g. check quota).", "status": "RESOURCE_EXHAUSTED"}}
				"""));
		expectFailure(provider().embed(request("text-embedding-004", null, null, "x")), ErrorCategory.RATE_LIMIT, null);
	}

}
