package dev.llmfallback.provider.gemini;

import java.util.ArrayList;
import java.util.List;

import dev.llmfallback.EmbeddingRequest.InputType;
import dev.llmfallback.provider.ProviderEmbeddingRequest;
import dev.llmfallback.provider.ProviderEmbeddings;
import dev.llmfallback.provider.http.AnswerFailures;
import dev.llmfallback.provider.http.EmbeddingMapping;
import dev.llmfallback.provider.http.Json;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Gemini's {@code models/{model}:batchEmbedContents}: one {@code EmbedContentRequest} per input
 * (each naming the model, with {@code taskType} {@code RETRIEVAL_QUERY} or
 * {@code RETRIEVAL_DOCUMENT} and {@code outputDimensionality} when asked); the answer's
 * {@code embeddings[].values} in request order. Gemini reports no usage here.
 * https://ai.google.dev/api/embeddings#method:-models.batchembedcontents
 */
final class GeminiEmbeddings implements EmbeddingMapping {

	/** The most requests one batchEmbedContents call takes. */
	static final int MAX_BATCH_SIZE = 100;

	@Override
	public ObjectNode body(ProviderEmbeddingRequest request) {
		String model = request.model().startsWith("models/") ? request.model() : "models/" + request.model();
		ObjectNode body = Json.object();
		ArrayNode requests = body.putArray("requests");
		for (String input : request.inputs()) {
			ObjectNode one = requests.addObject();
			one.put("model", model);
			one.putObject("content").putArray("parts").addObject().put("text", input);
			if (request.inputType() != null) {
				one.put("taskType", (request.inputType() == InputType.QUERY) ? "RETRIEVAL_QUERY" : "RETRIEVAL_DOCUMENT");
			}
			if (request.dimensions() != null) {
				one.put("outputDimensionality", request.dimensions());
			}
		}
		return body;
	}

	@Override
	public ProviderEmbeddings response(String provider, JsonNode answer) {
		JsonNode embeddings = answer.get("embeddings");
		if (embeddings == null || !embeddings.isArray()) {
			throw AnswerFailures.invalid(provider, "the answer has no embeddings");
		}
		List<float[]> vectors = new ArrayList<>(embeddings.size());
		for (int i = 0; i < embeddings.size(); i++) {
			vectors.add(EmbeddingMapping.vector(provider, embeddings.get(i).get("values"), "embeddings[" + i + "].values"));
		}
		return new ProviderEmbeddings(vectors, null, null);
	}

}
