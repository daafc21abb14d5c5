package dev.llmfallback.sample.openai;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonProperty;

import dev.llmfallback.EmbeddingResponse;
import dev.llmfallback.Usage;

/**
 * OpenAI's answer to {@code POST /v1/embeddings}: {@code {"object": "list", "data": [...], "model",
 * "usage"}}.
 *
 * @param object always {@code list}
 * @param data one embedding per input, in input order
 * @param model the configured model that served the request
 * @param usage tokens read
 */
public record CreateEmbeddingResponse(String object, List<Embedding> data, String model, EmbeddingUsage usage) {

	/**
	 * @param answer the engine's answer
	 * @param base64 whether each vector is sent as base64 of its little-endian float32 bytes, as
	 * OpenAI does for {@code encoding_format: base64}, rather than as an array of numbers
	 * @return the answer in OpenAI's form
	 */
	public static CreateEmbeddingResponse of(EmbeddingResponse answer, boolean base64) {
		List<Embedding> data = new ArrayList<>(answer.embeddings().size());
		for (float[] vector : answer.embeddings()) {
			data.add(new Embedding("embedding", data.size(), base64 ? base64(vector) : vector));
		}
		Usage usage = answer.usage();
		long tokens = (usage != null) ? usage.inputTokens() : 0;
		return new CreateEmbeddingResponse("list", data, answer.servedBy(), new EmbeddingUsage(tokens, tokens));
	}

	/**
	 * @param vector the numbers
	 * @return base64 of their little-endian IEEE 754 float32 bytes
	 */
	public static String base64(float[] vector) {
		ByteBuffer bytes = ByteBuffer.allocate(vector.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
		bytes.asFloatBuffer().put(vector);
		return Base64.getEncoder().encodeToString(bytes.array());
	}

	/**
	 * One vector.
	 *
	 * @param object always {@code embedding}
	 * @param index the input's position
	 * @param embedding a {@code float[]}, or a base64 {@code String}
	 */
	public record Embedding(String object, int index, Object embedding) {
	}

	/**
	 * Tokens read, as OpenAI reports them for embeddings (no completion tokens).
	 *
	 * @param promptTokens input tokens
	 * @param totalTokens the same
	 */
	public record EmbeddingUsage(@JsonProperty("prompt_tokens") long promptTokens,
			@JsonProperty("total_tokens") long totalTokens) {
	}

}
