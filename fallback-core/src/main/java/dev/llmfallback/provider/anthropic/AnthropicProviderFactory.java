package dev.llmfallback.provider.anthropic;

import dev.llmfallback.provider.ProviderFactory;

/** Registers provider type {@code anthropic}. Public because {@link java.util.ServiceLoader} creates it. */
public final class AnthropicProviderFactory extends ProviderFactory {

	public AnthropicProviderFactory() {
		super("anthropic", AnthropicChatProvider::new);
	}

}
