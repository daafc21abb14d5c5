package dev.llmfallback.provider.openai;

import java.util.ArrayList;
import java.util.List;

import dev.llmfallback.provider.ProviderEmbeddingRequest;
import dev.llmfallback.provider.ProviderEmbeddings;
import dev.llmfallback.provider.http.AnswerFailures;
import dev.llmfallback.provider.http.EmbeddingMapping;
import dev.llmfallback.provider.http.Json;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * OpenAI's embeddings wire format ({@code POST /embeddings}, also Azure's and compatible servers'):
 * {@code input} as an array, {@code encoding_format: float}, {@code dimensions} when asked; the
 * answer's {@code data[].embedding} put back in {@code index} order. OpenAI has no input type.
 * https://platform.openai.com/docs/api-reference/embeddings/create
 */
final class OpenAiEmbeddings implements EmbeddingMapping {

	/** OpenAI's documented limit of inputs per request. */
	static final int MAX_BATCH_SIZE = 2048;

	private final boolean includeModel;

	/**
	 * @param includeModel whether the body names the model (Azure names the deployment in the URL)
	 */
	OpenAiEmbeddings(boolean includeModel) {
		this.includeModel = includeModel;
	}

	@Override
	public ObjectNode body(ProviderEmbeddingRequest request) {
		ObjectNode body = Json.object();
		if (this.includeModel) {
			body.put("model", request.model());
		}
		ArrayNode input = body.putArray("input");
		request.inputs().forEach(input::add);
		body.put("encoding_format", "float");
		if (request.dimensions() != null) {
			body.put("dimensions", request.dimensions());
		}
		return body;
	}

	@Override
	public ProviderEmbeddings response(String provider, JsonNode answer) {
		JsonNode data = answer.get("data");
		if (data == null || !data.isArray()) {
			throw AnswerFailures.invalid(provider, "the answer has no data");
		}
		List<float[]> vectors = new ArrayList<>(data.size());
		for (int i = 0; i < data.size(); i++) {
			vectors.add(null);
		}
		for (int i = 0; i < data.size(); i++) {
			JsonNode item = data.get(i);
			JsonNode index = item.get("index");
			int at = (index != null && index.canConvertToInt()) ? index.intValue() : i;
			if (at < 0 || at >= data.size() || vectors.get(at) != null) {
				throw AnswerFailures.invalid(provider, "data[" + i + "] has index " + at + ", out of order or repeated");
			}
			vectors.set(at, EmbeddingMapping.vector(provider, item.get("embedding"), "data[" + i + "].embedding"));
		}
		return new ProviderEmbeddings(vectors, Json.text(answer.get("model")), OpenAiMessages.usage(answer.get("usage")));
	}

}
