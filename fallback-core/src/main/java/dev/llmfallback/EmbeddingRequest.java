package dev.llmfallback;

import java.util.List;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * Texts to embed with a fallback policy. Every vector of one answer comes from one model, so the
 * vectors of one request can always be compared with each other.
 *
 * @param inputs the texts, at least one, none {@code null}
 * @param policy the embedding policy to walk, or {@code null} for the service's own
 * @param dimensions how many numbers each vector should have, for models that can shorten their
 * vectors (OpenAI's {@code text-embedding-3-*}, Gemini, Cohere v4), or {@code null} for the
 * model's own length
 * @param inputType what the texts are for, for providers that embed queries and documents
 * differently (Cohere, Gemini), or {@code null}
 */
public record EmbeddingRequest(List<String> inputs, @Nullable String policy, @Nullable Integer dimensions,
		@Nullable InputType inputType) {

	public EmbeddingRequest {
		Objects.requireNonNull(inputs, "inputs");
		inputs = List.copyOf(inputs);
		if (inputs.isEmpty()) {
			throw new IllegalArgumentException("An embedding request needs at least one input");
		}
		if (dimensions != null && dimensions < 1) {
			throw new IllegalArgumentException("dimensions must be at least 1, was " + dimensions);
		}
	}

	/**
	 * Texts to embed with the service's policy and each model's own vector length.
	 * @param inputs the texts
	 * @return the request
	 */
	public static EmbeddingRequest of(List<String> inputs) {
		return new EmbeddingRequest(inputs, null, null, null);
	}

	/**
	 * Texts to embed with the service's policy and each model's own vector length.
	 * @param inputs the texts
	 * @return the request
	 */
	public static EmbeddingRequest of(String... inputs) {
		return of(List.of(inputs));
	}

	/** @return this request sent along another policy */
	public EmbeddingRequest withPolicy(@Nullable String policy) {
		return new EmbeddingRequest(this.inputs, policy, this.dimensions, this.inputType);
	}

	/** @return this request asking for vectors of this length */
	public EmbeddingRequest withDimensions(@Nullable Integer dimensions) {
		return new EmbeddingRequest(this.inputs, this.policy, dimensions, this.inputType);
	}

	/** @return this request with texts of this kind */
	public EmbeddingRequest withInputType(@Nullable InputType inputType) {
		return new EmbeddingRequest(this.inputs, this.policy, this.dimensions, inputType);
	}

	/** What embedded texts are for: retrieval models embed a question and a passage differently. */
	public enum InputType {

		/** A question or search text, compared against stored documents. */
		QUERY,

		/** A passage stored in an index. */
		DOCUMENT

	}

}
