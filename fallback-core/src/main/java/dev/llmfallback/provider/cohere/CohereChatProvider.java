package dev.llmfallback.provider.cohere;

import dev.llmfallback.provider.ClassificationRules;
import dev.llmfallback.provider.ProviderSettings;
import dev.llmfallback.provider.http.HttpChatProvider;
import dev.llmfallback.provider.http.HttpWireFormat;
import org.jspecify.annotations.Nullable;

import org.springframework.web.reactive.function.client.WebClient;

/**
 * Adapter for Cohere's v2 Chat API: {@code POST {base-url}/v2/chat} with a bearer key. Streams are
 * Server-Sent Events ({@code message-start}, {@code content-start}, {@code content-delta},
 * {@code content-end}, {@code message-end}); {@code message-end} carries the finish reason and
 * usage. The mapping is {@link CohereMessages}, the format's own error rules {@link CohereErrors}.
 */
public class CohereChatProvider extends HttpChatProvider {

	/** Cohere's base URL. */
	public static final String DEFAULT_BASE_URL = "https://api.cohere.com";

	public CohereChatProvider(ProviderSettings settings, WebClient.@Nullable Builder webClientBuilder,
			@Nullable ClassificationRules rules) {
		super(settings, webClientBuilder, rules,
				new HttpWireFormat(new CohereMessages(), CohereErrors.RULES, DEFAULT_BASE_URL, "/v2/chat"));
	}

}
