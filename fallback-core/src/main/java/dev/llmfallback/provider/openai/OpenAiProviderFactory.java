package dev.llmfallback.provider.openai;

import dev.llmfallback.provider.ProviderFactory;

/** Registers provider type {@code openai}. Public because {@link java.util.ServiceLoader} creates it. */
public final class OpenAiProviderFactory extends ProviderFactory {

	public OpenAiProviderFactory() {
		super("openai", OpenAiChatProvider::new);
	}

}
