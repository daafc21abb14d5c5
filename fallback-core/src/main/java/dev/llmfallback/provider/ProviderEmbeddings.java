package dev.llmfallback.provider;

import java.util.List;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

import dev.llmfallback.Usage;

/**
 * A provider's successful answer to one embedding call, as it came: the engine checks the count,
 * the length and the numbers of the vectors before any reaches the caller.
 *
 * @param vectors the vectors, in the order the provider gave them (already sorted by index where
 * the format numbers them)
 * @param providerModel the model id the provider reported, or {@code null}
 * @param usage the tokens the provider reported, or {@code null}
 */
public record ProviderEmbeddings(List<float[]> vectors, @Nullable String providerModel, @Nullable Usage usage) {

	public ProviderEmbeddings {
		Objects.requireNonNull(vectors, "vectors");
	}

}
