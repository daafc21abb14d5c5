package dev.llmfallback.sample.simulator;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Answers OpenAI's {@code POST /v1/embeddings} as the simulator: one unit vector per input, the same
 * for the same model, input and length every time (seeded by their hash), so that a test can compare
 * two answers and a fallback between two simulated providers of one model gives the same vectors.
 */
final class SimulatedEmbeddings {

	private static final JsonMapper json = JsonMapper.builder().build();

	/** The length when the request asks for none: that of {@code text-embedding-3-large}, else of {@code -3-small}. */
	private static int defaultDimensions(String model) {
		return model.contains("large") ? 3072 : 1536;
	}

	private SimulatedEmbeddings() {
	}

	/**
	 * @param call the request body as read
	 * @return OpenAI's {@code CreateEmbeddingResponse}, {@code encoding_format: float}
	 */
	static String answer(JsonNode call) {
		String model = call.path("model").asString("text-embedding-3-small");
		int dimensions = call.path("dimensions").asInt(defaultDimensions(model));
		List<String> inputs = new ArrayList<>();
		JsonNode input = call.path("input");
		if (input.isArray()) {
			input.valueStream().forEach((value) -> inputs.add(value.asString("")));
		}
		else {
			inputs.add(input.asString(""));
		}
		ObjectNode body = json.createObjectNode().put("object", "list");
		ArrayNode data = body.putArray("data");
		int tokens = 0;
		for (int index = 0; index < inputs.size(); index++) {
			ObjectNode item = data.addObject().put("object", "embedding").put("index", index);
			ArrayNode embedding = item.putArray("embedding");
			for (float value : vector(model, inputs.get(index), dimensions)) {
				embedding.add(value);
			}
			tokens += inputs.get(index).length() / 4 + 1;
		}
		body.put("model", model);
		body.putObject("usage").put("prompt_tokens", tokens).put("total_tokens", tokens);
		return body.toString();
	}

	/**
	 * Gemini's {@code models/{model}:batchEmbedContents}: one {@code values} array per request's
	 * text, {@code outputDimensionality} when asked (3,072 for gemini-embedding-001 otherwise).
	 * @param model the model of the path
	 * @param call the request body as read
	 * @return Gemini's {@code BatchEmbedContentsResponse}
	 */
	static String geminiAnswer(String model, JsonNode call) {
		ObjectNode body = json.createObjectNode();
		ArrayNode embeddings = body.putArray("embeddings");
		for (JsonNode request : call.path("requests")) {
			StringBuilder text = new StringBuilder();
			request.path("content").path("parts").valueStream().forEach((part) -> text.append(part.path("text").asString("")));
			int dimensions = request.path("outputDimensionality").asInt(3072);
			ArrayNode values = embeddings.addObject().putArray("values");
			for (float value : vector(model, text.toString(), dimensions)) {
				values.add(value);
			}
		}
		return body.toString();
	}

	/**
	 * @param model the model asked for
	 * @param input the text
	 * @param dimensions the vector's length
	 * @return the simulated vector, of length 1
	 */
	static float[] vector(String model, String input, int dimensions) {
		long seed = 31L * model.hashCode() + input.hashCode();
		Random random = new Random(seed * 1_000_003L + dimensions);
		double[] values = new double[dimensions];
		double norm = 0;
		for (int i = 0; i < dimensions; i++) {
			values[i] = random.nextGaussian();
			norm += values[i] * values[i];
		}
		norm = Math.sqrt(norm);
		float[] vector = new float[dimensions];
		for (int i = 0; i < dimensions; i++) {
			vector[i] = (float) (values[i] / norm);
		}
		return vector;
	}

}
