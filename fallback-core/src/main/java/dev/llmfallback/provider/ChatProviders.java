package dev.llmfallback.provider;

import java.util.List;
import java.util.Locale;

import dev.llmfallback.provider.anthropic.AnthropicChatProvider;
import dev.llmfallback.provider.cohere.CohereChatProvider;
import dev.llmfallback.provider.gemini.GeminiChatProvider;
import dev.llmfallback.provider.ollama.OllamaChatProvider;
import dev.llmfallback.provider.openai.AzureOpenAiChatProvider;
import dev.llmfallback.provider.openai.OpenAiChatProvider;

import org.springframework.web.reactive.function.client.WebClient;

/**
 * Creates the adapter for a configured provider from its {@code type}. Each adapter owns a
 * connection pool; close it ({@link AutoCloseable}) when the provider is no longer used.
 */
public final class ChatProviders {

	/** The provider types, as written in {@code llm.fallback.providers.<name>.type}. */
	public static final List<String> TYPES = List.of("openai", "azure-openai", "anthropic", "gemini", "cohere", "ollama");

	private ChatProviders() {
	}

	/**
	 * Creates the adapter for a provider.
	 * @param settings the provider's settings
	 * @param webClientBuilder the application's builder (cloned, never changed), or {@code null}
	 * for a plain one
	 * @param rules the user's message patterns, or {@code null} for none
	 * @return the adapter
	 * @throws IllegalArgumentException for an unknown type (the message lists the valid ones) or
	 * settings the type cannot work with
	 */
	public static ChatProvider create(ProviderSettings settings, WebClient.Builder webClientBuilder,
			ClassificationRules rules) {
		ClassificationRules classification = (rules != null) ? rules : ClassificationRules.none();
		String type = settings.type().trim().toLowerCase(Locale.ROOT);
		return switch (type) {
			case "openai" -> new OpenAiChatProvider(settings, webClientBuilder, classification);
			case "azure-openai" -> new AzureOpenAiChatProvider(settings, webClientBuilder, classification);
			case "anthropic" -> new AnthropicChatProvider(settings, webClientBuilder, classification);
			case "gemini" -> new GeminiChatProvider(settings, webClientBuilder, classification);
			case "cohere" -> new CohereChatProvider(settings, webClientBuilder, classification);
			case "ollama" -> new OllamaChatProvider(settings, webClientBuilder, classification);
			default -> throw new IllegalArgumentException("Unknown provider type '" + settings.type() + "' for provider '"
					+ settings.name() + "'; expected one of " + String.join(", ", TYPES));
		};
	}

}
