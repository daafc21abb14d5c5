package dev.llmfallback.provider.cohere;

import dev.llmfallback.provider.ProviderFactory;

/** Registers provider type {@code cohere}. Public because {@link java.util.ServiceLoader} creates it. */
public final class CohereProviderFactory extends ProviderFactory {

	public CohereProviderFactory() {
		super("cohere", CohereChatProvider::new);
	}

}
