package dev.llmfallback.provider.ollama;

import dev.llmfallback.provider.ProviderFactory;

/** Registers provider type {@code ollama}. Public because {@link java.util.ServiceLoader} creates it. */
public final class OllamaProviderFactory extends ProviderFactory {

	public OllamaProviderFactory() {
		super("ollama", OllamaChatProvider::new);
	}

}
