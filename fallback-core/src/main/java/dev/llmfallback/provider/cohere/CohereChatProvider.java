package dev.llmfallback.provider.cohere;

import dev.llmfallback.provider.ClassificationRules;
import dev.llmfallback.provider.ProviderRequest;
import dev.llmfallback.provider.ProviderResponse;
import dev.llmfallback.provider.ProviderSettings;
import dev.llmfallback.provider.http.HttpChatProvider;
import dev.llmfallback.provider.http.StreamDecoder;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

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
		super(settings, webClientBuilder, rules, CohereErrors.RULES, DEFAULT_BASE_URL, "/v2/chat");
	}

	@Override
	protected ObjectNode body(ProviderRequest request, boolean stream) {
		return CohereMessages.body(request, stream);
	}

	@Override
	protected ProviderResponse response(JsonNode answer) {
		return CohereMessages.response(name(), answer);
	}

	@Override
	protected StreamDecoder streamDecoder(ProviderRequest request) {
		return new CohereMessages.EventDecoder(this::error);
	}

}
