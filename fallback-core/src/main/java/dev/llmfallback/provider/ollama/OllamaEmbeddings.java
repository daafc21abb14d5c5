package dev.llmfallback.provider.ollama;

import dev.llmfallback.Usage;
import dev.llmfallback.provider.ProviderEmbeddingRequest;
import dev.llmfallback.provider.ProviderEmbeddings;
import dev.llmfallback.provider.http.EmbeddingMapping;
import dev.llmfallback.provider.http.Json;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Ollama's {@code POST /api/embed}: {@code input} as an array, {@code dimensions} when asked; the
 * answer's {@code embeddings} in input order, usage from {@code prompt_eval_count}. Ollama has no
 * input type (models that want a prefix such as {@code search_query:} get it in the text).
 * https://github.com/ollama/ollama/blob/main/docs/api.md#generate-embeddings
 */
final class OllamaEmbeddings implements EmbeddingMapping {

	/** Ollama documents no limit; this keeps one local request's body and memory moderate. */
	static final int MAX_BATCH_SIZE = 512;

	@Override
	public ObjectNode body(ProviderEmbeddingRequest request) {
		ObjectNode body = Json.object();
		body.put("model", request.model());
		ArrayNode input = body.putArray("input");
		request.inputs().forEach(input::add);
		if (request.dimensions() != null) {
			body.put("dimensions", request.dimensions());
		}
		return body;
	}

	@Override
	public ProviderEmbeddings response(String provider, JsonNode answer) {
		long input = Json.count(answer.get("prompt_eval_count"));
		Usage usage = (input >= 0) ? new Usage(input, 0, input) : null;
		return new ProviderEmbeddings(EmbeddingMapping.vectors(provider, answer.get("embeddings"), "embeddings"),
				Json.text(answer.get("model")), usage);
	}

}
