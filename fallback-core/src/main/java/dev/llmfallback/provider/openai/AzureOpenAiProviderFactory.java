package dev.llmfallback.provider.openai;

import dev.llmfallback.provider.ProviderFactory;

/** Registers provider type {@code azure-openai}. Public because {@link java.util.ServiceLoader} creates it. */
public final class AzureOpenAiProviderFactory extends ProviderFactory {

	public AzureOpenAiProviderFactory() {
		super("azure-openai", AzureOpenAiChatProvider::new);
	}

}
