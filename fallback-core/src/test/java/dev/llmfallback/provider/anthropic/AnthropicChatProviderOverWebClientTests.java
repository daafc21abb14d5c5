package dev.llmfallback.provider.anthropic;

import org.springframework.web.reactive.function.client.WebClient;

/**
 * Every test of {@link AnthropicChatProviderTests} again, with the calls going through a {@code WebClient} (the
 * transport used where the application configures one) instead of Reactor Netty directly.
 */
class AnthropicChatProviderOverWebClientTests extends AnthropicChatProviderTests {

	@Override
	protected WebClient.Builder webClientBuilder() {
		return WebClient.builder();
	}

}
