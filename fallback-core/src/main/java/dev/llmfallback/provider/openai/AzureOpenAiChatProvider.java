package dev.llmfallback.provider.openai;

import java.net.URI;

import dev.llmfallback.provider.ClassificationRules;
import dev.llmfallback.provider.ProviderEmbeddingRequest;
import dev.llmfallback.provider.ProviderRequest;
import dev.llmfallback.provider.ProviderSettings;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpHeaders;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * Adapter for Azure OpenAI: the Chat Completions wire format at
 * {@code {base-url}/openai/deployments/{deployment}/chat/completions?api-version=...}, with the
 * {@code api-key} header. The deployment is the request's model id. Content-filter refusals
 * ({@code content_filter}, {@code ResponsibleAIPolicyViolation}) are {@code content_policy}.
 */
public class AzureOpenAiChatProvider extends OpenAiChatProvider {

	/** The API version used when none is configured (the GA version of DESIGN.md's example). */
	public static final String DEFAULT_API_VERSION = "2024-10-21";

	public AzureOpenAiChatProvider(ProviderSettings settings, WebClient.@Nullable Builder webClientBuilder,
			@Nullable ClassificationRules rules) {
		super(requireBaseUrl(settings), webClientBuilder, rules, new OpenAiMessages(false), null, null);
	}

	private static ProviderSettings requireBaseUrl(ProviderSettings settings) {
		if (settings.baseUrl() == null) {
			throw new IllegalArgumentException("Provider '" + settings.name()
					+ "' of type azure-openai needs a base-url, e.g. https://<resource>.openai.azure.com");
		}
		return settings;
	}

	@Override
	protected URI uri(ProviderRequest request, boolean stream) {
		String version = (settings().apiVersion() != null) ? settings().apiVersion() : DEFAULT_API_VERSION;
		return UriComponentsBuilder.fromUriString(baseUrl())
			.pathSegment("openai", "deployments", request.model(), "chat", "completions")
			.queryParam("api-version", version)
			.encode()
			.build()
			.toUri();
	}

	private static final OpenAiEmbeddings EMBEDDINGS = new OpenAiEmbeddings(false);

	@Override
	OpenAiEmbeddings embeddings() {
		return EMBEDDINGS;
	}

	@Override
	URI embeddingUri(ProviderEmbeddingRequest request) {
		String version = (settings().apiVersion() != null) ? settings().apiVersion() : DEFAULT_API_VERSION;
		return UriComponentsBuilder.fromUriString(baseUrl())
			.pathSegment("openai", "deployments", request.model(), "embeddings")
			.queryParam("api-version", version)
			.encode()
			.build()
			.toUri();
	}

	@Override
	protected void authenticate(HttpHeaders headers, String apiKey) {
		headers.set("api-key", apiKey);
	}

}
