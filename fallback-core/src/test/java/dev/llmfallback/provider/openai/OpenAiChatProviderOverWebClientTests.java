package dev.llmfallback.provider.openai;

import org.springframework.web.reactive.function.client.WebClient;

/**
 * Every test of {@link OpenAiChatProviderTests} again, with the calls going through a {@code WebClient} (the
 * transport used where the application configures one) instead of Reactor Netty directly.
 */
class OpenAiChatProviderOverWebClientTests extends OpenAiChatProviderTests {

	@Override
	protected WebClient.Builder webClientBuilder() {
		return WebClient.builder();
	}

}
