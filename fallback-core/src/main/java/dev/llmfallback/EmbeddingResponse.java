package dev.llmfallback;

import java.util.List;
import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;

/**
 * The answer to an {@link EmbeddingRequest}: one vector per input, in input order, every one from
 * the same model, with the record of how it was obtained.
 *
 * @param embeddings one vector per input, in input order
 * @param servedBy the configured name of the model that answered
 * @param provider the configured name of that model's provider
 * @param providerModel the model id the provider reported, or {@code null}
 * @param usage the tokens the provider reported, or {@code null} where it reported none
 * @param attempts every call and skip of the walk, in order; the last one succeeded
 */
public record EmbeddingResponse(List<float[]> embeddings, String servedBy, String provider,
		@Nullable String providerModel, @Nullable Usage usage, List<Attempt> attempts) {

	public EmbeddingResponse {
		embeddings = List.copyOf(embeddings);
		Objects.requireNonNull(servedBy, "servedBy");
		Objects.requireNonNull(provider, "provider");
		attempts = List.copyOf(attempts);
	}

	/** @return how many numbers each vector has */
	public int dimensions() {
		return this.embeddings.isEmpty() ? 0 : this.embeddings.get(0).length;
	}

	/**
	 * How many times the walk moved from one model to another (skips included) before a model
	 * answered; 0 when the first model answered.
	 * @return the number of hops
	 */
	@JsonProperty("fallbacks")
	public int fallbacks() {
		return Attempt.hops(this.attempts);
	}

}
