package dev.llmfallback.provider.http;

import java.util.List;

import dev.llmfallback.LlmException;
import dev.llmfallback.provider.ProviderEmbeddingRequest;
import dev.llmfallback.provider.ProviderEmbeddings;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.POJONode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A wire format's embedding mapping, domain to wire JSON and back, beside its {@link ChatMapping}
 * in the format's {@code XxxEmbeddings} class. Pure: no HTTP, no state. The mapping reads what the
 * answer says; the engine checks the count, the length and the numbers.
 *
 * <p>Public: implemented in each format's package.
 */
public interface EmbeddingMapping {

	/**
	 * The request body.
	 * @param request the call
	 * @return the body
	 */
	ObjectNode body(ProviderEmbeddingRequest request);

	/**
	 * Maps a successful answer.
	 * @param provider the configured provider name, for the failures it raises
	 * @param answer the answer's JSON
	 * @return the vectors, in input order
	 * @throws LlmException where the answer carries no vectors
	 */
	ProviderEmbeddings response(String provider, JsonNode answer);

	/**
	 * Reads one vector: a JSON array of numbers.
	 * @param provider the configured provider name, for the failure
	 * @param node the array
	 * @param what where it is, for the failure's message
	 * @return the numbers
	 * @throws LlmException of category {@code invalid_response} for anything but an array of numbers
	 */
	static float[] vector(String provider, JsonNode node, String what) {
		if (node instanceof POJONode decoded && decoded.getPojo() instanceof float[] vector) {
			// Decoded from the bytes already (VectorTrees): handed on, not copied.
			return vector;
		}
		if (node == null || !node.isArray()) {
			throw AnswerFailures.invalid(provider, what + " is not an array of numbers");
		}
		float[] vector = new float[node.size()];
		for (int i = 0; i < vector.length; i++) {
			JsonNode value = node.get(i);
			if (value == null || !value.isNumber()) {
				throw AnswerFailures.invalid(provider, what + " holds a value that is not a number at " + i);
			}
			vector[i] = value.floatValue();
		}
		return vector;
	}

	/**
	 * Reads an array of vectors.
	 * @param provider the configured provider name, for the failure
	 * @param node the array of arrays
	 * @param what where it is, for the failure's message
	 * @return the vectors
	 */
	static List<float[]> vectors(String provider, JsonNode node, String what) {
		if (node == null || !node.isArray()) {
			throw AnswerFailures.invalid(provider, "the answer has no " + what);
		}
		float[][] vectors = new float[node.size()][];
		for (int i = 0; i < vectors.length; i++) {
			vectors[i] = vector(provider, node.get(i), what + "[" + i + "]");
		}
		return List.of(vectors);
	}

}
