package dev.llmfallback.provider.gemini;

import dev.llmfallback.provider.ProviderFactory;

/** Registers provider type {@code gemini}. Public because {@link java.util.ServiceLoader} creates it. */
public final class GeminiProviderFactory extends ProviderFactory {

	public GeminiProviderFactory() {
		super("gemini", GeminiChatProvider::new);
	}

}
