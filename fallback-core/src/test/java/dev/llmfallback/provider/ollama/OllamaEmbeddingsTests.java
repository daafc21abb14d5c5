package dev.llmfallback.provider.ollama;

import org.junit.jupiter.api.Test;

import dev.llmfallback.ErrorCategory;
import dev.llmfallback.Usage;
import dev.llmfallback.provider.EmbeddingLoopback;
import dev.llmfallback.provider.ProviderEmbeddings;
import dev.llmfallback.provider.StubServer.Recorded;
import dev.llmfallback.provider.StubServer.Reply;
import dev.llmfallback.provider.http.Json;

import static dev.llmfallback.provider.Failures.expectFailure;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link OllamaEmbeddings} against the documented answer of
 * https://github.com/ollama/ollama/blob/main/docs/api.md#generate-embeddings, and the adapter against
 * a loopback server.
 */
class OllamaEmbeddingsTests extends EmbeddingLoopback {

	static final String ANSWER = """
			{"model": "all-minilm",
			 "embeddings": [[0.010071029, -0.0017594862, 0.05007221], [-0.0098027075, 0.06042469, 0.025257962]],
			 "total_duration": 14143917, "load_duration": 1019500, "prompt_eval_count": 8}
			""";

	@Override
	protected String type() {
		return "ollama";
	}

	@Test
	void bodyAndAnswer() {
		assertThat(new OllamaEmbeddings().body(request("nomic-embed-text", 256, null, "a", "b")))
			.isEqualTo(Json.MAPPER.readTree("""
					{"model": "nomic-embed-text", "input": ["a", "b"], "dimensions": 256}
					"""));
		ProviderEmbeddings answer = new OllamaEmbeddings().response("p", Json.MAPPER.readTree(ANSWER));
		assertThat(answer.vectors().get(1)).containsExactly(-0.0098027075f, 0.06042469f, 0.025257962f);
		assertThat(answer.providerModel()).isEqualTo("all-minilm");
		assertThat(answer.usage()).isEqualTo(new Usage(8, 0, 8));
	}

	@Test
	void embedsOverLoopback() {
		this.server.enqueue(Reply.json(200, ANSWER));

		ProviderEmbeddings answer = await(provider().embed(request("all-minilm", null, null, "x", "y")));

		Recorded recorded = this.server.takeRequest();
		assertThat(recorded.uri()).endsWith("/api/embed");
		assertThat(answer.vectors()).hasSize(2);
	}

	@Test
	void aModelNotPulledIsNotFound() {
		// Ollama's answer for a model that is not pulled (docs/api.md, "model not found").
		this.server.enqueue(Reply.json(404, """
				{"error": "model \\"nomic-embed-text\\" not found, try pulling it first"}
				"""));
		expectFailure(provider().embed(request("nomic-embed-text", null, null, "x")), ErrorCategory.NOT_FOUND, null);
	}

}
