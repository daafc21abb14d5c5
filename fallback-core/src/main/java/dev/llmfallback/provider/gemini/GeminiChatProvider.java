package dev.llmfallback.provider.gemini;

import java.net.URI;

import dev.llmfallback.provider.ClassificationRules;
import dev.llmfallback.provider.EmbeddingProvider;
import dev.llmfallback.provider.ProviderEmbeddingRequest;
import dev.llmfallback.provider.ProviderEmbeddings;
import dev.llmfallback.provider.ProviderRequest;
import dev.llmfallback.provider.ProviderSettings;
import dev.llmfallback.provider.http.HttpChatProvider;
import dev.llmfallback.provider.http.HttpWireFormat;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpHeaders;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * Adapter for the Gemini API: {@code {base-url}/v1beta/models/{model}:generateContent}, and
 * {@code :streamGenerateContent?alt=sse} for streams, with {@code x-goog-api-key}. The mapping is
 * {@link GeminiMessages}, the format's own error rules {@link GeminiErrors}. Embeddings go to
 * {@code :batchEmbedContents} ({@link GeminiEmbeddings}).
 */
public class GeminiChatProvider extends HttpChatProvider implements EmbeddingProvider {

	/** The Gemini API's base URL. */
	public static final String DEFAULT_BASE_URL = "https://generativelanguage.googleapis.com";

	public GeminiChatProvider(ProviderSettings settings, WebClient.@Nullable Builder webClientBuilder,
			@Nullable ClassificationRules rules) {
		super(settings, webClientBuilder, rules,
				new HttpWireFormat(new GeminiMessages(), GeminiErrors.RULES, DEFAULT_BASE_URL, null));
	}

	private static final GeminiEmbeddings EMBEDDINGS = new GeminiEmbeddings();

	/**
	 * Gemini's documented image cost: 258 tokens for an image of at most 384 pixels on both sides;
	 * a larger one is cut into 768x768 tiles of 258 tokens each
	 * (https://ai.google.dev/gemini-api/docs/tokens#multimodal-tokens). The size is not known
	 * here, so each image counts as one tile.
	 * @return 258
	 */
	@Override
	public int imageTokens() {
		return 258;
	}

	@Override
	public int maxBatchSize() {
		return GeminiEmbeddings.MAX_BATCH_SIZE;
	}

	@Override
	public boolean reducesDimensions() {
		return true;
	}

	@Override
	public Mono<ProviderEmbeddings> embed(ProviderEmbeddingRequest request) {
		String model = request.model().startsWith("models/") ? request.model().substring(7) : request.model();
		URI uri = UriComponentsBuilder.fromUriString(baseUrl())
			.pathSegment("v1beta", "models", model + ":batchEmbedContents")
			.encode()
			.build()
			.toUri();
		return embed(request, uri, EMBEDDINGS);
	}

	@Override
	protected URI uri(ProviderRequest request, boolean stream) {
		String model = request.model().startsWith("models/") ? request.model().substring(7) : request.model();
		UriComponentsBuilder uri = UriComponentsBuilder.fromUriString(baseUrl())
			.pathSegment("v1beta", "models", model + (stream ? ":streamGenerateContent" : ":generateContent"));
		if (stream) {
			uri.queryParam("alt", "sse");
		}
		return uri.encode().build().toUri();
	}

	@Override
	protected void authenticate(HttpHeaders headers, String apiKey) {
		headers.set("x-goog-api-key", apiKey);
	}

}
