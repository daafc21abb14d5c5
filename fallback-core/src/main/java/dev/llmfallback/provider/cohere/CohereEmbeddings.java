package dev.llmfallback.provider.cohere;

import dev.llmfallback.EmbeddingRequest.InputType;
import dev.llmfallback.Usage;
import dev.llmfallback.provider.ProviderEmbeddingRequest;
import dev.llmfallback.provider.ProviderEmbeddings;
import dev.llmfallback.provider.http.EmbeddingMapping;
import dev.llmfallback.provider.http.Json;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Cohere's {@code POST /v2/embed}: {@code texts}, {@code input_type} ({@code search_query} or
 * {@code search_document}, required by v3 and later models, so {@code search_document} when the
 * request names none), {@code embedding_types: ["float"]} and {@code output_dimension} when asked;
 * the answer's {@code embeddings.float} in input order, usage from {@code meta.billed_units}.
 * https://docs.cohere.com/reference/embed
 */
final class CohereEmbeddings implements EmbeddingMapping {

	/** Cohere's documented limit of texts per call. */
	static final int MAX_BATCH_SIZE = 96;

	@Override
	public ObjectNode body(ProviderEmbeddingRequest request) {
		ObjectNode body = Json.object();
		body.put("model", request.model());
		ArrayNode texts = body.putArray("texts");
		request.inputs().forEach(texts::add);
		body.put("input_type", (request.inputType() == InputType.QUERY) ? "search_query" : "search_document");
		body.putArray("embedding_types").add("float");
		if (request.dimensions() != null) {
			body.put("output_dimension", request.dimensions());
		}
		return body;
	}

	@Override
	public ProviderEmbeddings response(String provider, JsonNode answer) {
		JsonNode embeddings = answer.path("embeddings");
		// embeddings_by_type answers {"float": [...]}; the older embeddings_floats answers the array itself.
		JsonNode floats = embeddings.isArray() ? embeddings : embeddings.get("float");
		long input = Json.count(answer.path("meta").path("billed_units").get("input_tokens"));
		Usage usage = (input >= 0) ? new Usage(input, 0, input) : null;
		return new ProviderEmbeddings(EmbeddingMapping.vectors(provider, floats, "embeddings.float"), null, usage);
	}

}
