package dev.llmfallback.provider.cohere;

import org.junit.jupiter.api.Test;

import dev.llmfallback.EmbeddingRequest.InputType;
import dev.llmfallback.ErrorCategory;
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
 * {@link CohereEmbeddings} against the documented answer of https://docs.cohere.com/reference/embed
 * (v2, {@code embeddings_by_type}), and the adapter against a loopback server.
 */
class CohereEmbeddingsTests extends EmbeddingLoopback {

	static final String ANSWER = """
			{"id": "da6e531f-54c6-4a73-bf92-f60566d8d753",
			 "embeddings": {"float": [[0.016296387, -0.008354187, -0.04699707], [0.5, -0.5, 0.25]]},
			 "texts": ["hello", "goodbye"],
			 "meta": {"api_version": {"version": "2"}, "billed_units": {"input_tokens": 2}},
			 "response_type": "embeddings_by_type"}
			""";

	@Override
	protected String type() {
		return "cohere";
	}

	@Test
	void bodyCarriesTheInputTypeFloatsAndOutputDimension() {
		assertThat(new CohereEmbeddings().body(request("embed-v4.0", 512, InputType.QUERY, "a")))
			.isEqualTo(Json.MAPPER.readTree("""
					{"model": "embed-v4.0", "texts": ["a"], "input_type": "search_query",
					 "embedding_types": ["float"], "output_dimension": 512}
					"""));
		// v3 and later models require an input type: documents when the request names none.
		assertThat(new CohereEmbeddings().body(request("embed-english-v3.0", null, null, "a")).get("input_type")
			.asString()).isEqualTo("search_document");
	}

	@Test
	void answerReadsTheFloatsAndTheBilledTokens() {
		ProviderEmbeddings answer = new CohereEmbeddings().response("p", Json.MAPPER.readTree(ANSWER));
		assertThat(answer.vectors().get(0)).containsExactly(0.016296387f, -0.008354187f, -0.04699707f);
		assertThat(answer.vectors()).hasSize(2);
		assertThat(answer.usage()).isEqualTo(new Usage(2, 0, 2));
	}

	@Test
	void embedsOverLoopback() {
		this.server.enqueue(Reply.json(200, ANSWER));
		EmbeddingProvider provider = provider();

		ProviderEmbeddings answer = await(provider.embed(request("embed-v4.0", null, InputType.DOCUMENT, "hello", "goodbye")));

		Recorded recorded = this.server.takeRequest();
		assertThat(recorded.uri()).endsWith("/v2/embed");
		assertThat(recorded.header("Authorization")).isEqualTo("Bearer " + KEY);
		assertThat(answer.vectors()).hasSize(2);
		assertThat(provider.maxBatchSize()).isEqualTo(96);
	}

	@Test
	void errorsAreClassified() {
		// Cohere's error envelope (docs.cohere.com/reference/errors): {"id": ..., "message": ...}.
		this.server.enqueue(Reply.json(400, """
				{"id": "1f3b2c3a-0000-4000-8000-000000000000", "message": "invalid request: valid input_type must be provided with the provided model"}
				"""));
		expectFailure(provider().embed(request("embed-english-v3.0", null, null, "x")), ErrorCategory.BAD_REQUEST, null);
		this.server.enqueue(Reply.json(429, """
				{"id": "1f3b2c3a-0000-4000-8000-000000000001", "message": "You are using a Trial key, which is limited to 100 API calls / minute. You can continue to use the Trial key for free or upgrade to a Production key with higher rate limits at 'https://dashboard.cohere.com/api-keys'. Contact us on 'https://discord.gg/XW44jPfYJu' or email us at support@cohere.com with any questions"}
				"""));
		expectFailure(provider().embed(request("embed-english-v3.0", null, null, "x")), ErrorCategory.RATE_LIMIT, null);
	}

}
