package dev.llmfallback.provider.cohere;

import java.net.URI;

import dev.llmfallback.provider.ClassificationRules;
import dev.llmfallback.provider.EmbeddingProvider;
import dev.llmfallback.provider.ProviderEmbeddingRequest;
import dev.llmfallback.provider.ProviderEmbeddings;
import dev.llmfallback.provider.ProviderSettings;
import dev.llmfallback.provider.http.HttpChatProvider;
import dev.llmfallback.provider.http.HttpWireFormat;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import org.springframework.web.reactive.function.client.WebClient;

/**
 * Adapter for Cohere's v2 Chat API: {@code POST {base-url}/v2/chat} with a bearer key. Streams are
 * Server-Sent Events ({@code message-start}, {@code content-start}, {@code content-delta},
 * {@code content-end}, {@code tool-plan-delta}, {@code tool-call-start}, {@code tool-call-delta},
 * {@code tool-call-end}, {@code message-end}); {@code message-end} carries the finish reason and
 * usage. The mapping is {@link CohereMessages}, the format's own error rules {@link CohereErrors}.
 * Embeddings go to {@code POST {base-url}/v2/embed} ({@link CohereEmbeddings}).
 */
public class CohereChatProvider extends HttpChatProvider implements EmbeddingProvider {

	/** Cohere's base URL. */
	public static final String DEFAULT_BASE_URL = "https://api.cohere.com";

	public CohereChatProvider(ProviderSettings settings, WebClient.@Nullable Builder webClientBuilder,
			@Nullable ClassificationRules rules) {
		super(settings, webClientBuilder, rules,
				new HttpWireFormat(new CohereMessages(), CohereErrors.RULES, DEFAULT_BASE_URL, "/v2/chat"));
	}

	private static final CohereEmbeddings EMBEDDINGS = new CohereEmbeddings();

	/**
	 * Cohere's documented most for one image (https://docs.cohere.com/docs/image-inputs): at
	 * {@code high} detail (what {@code auto} picks for larger images) an image resized to fit
	 * 1536x2048 is cut into 512x512 tiles (at most 12) plus one preview tile, 256 tokens each, so
	 * 13 x 256; a {@code low} detail image is 256. The pre-check takes the most, as it must not let
	 * an oversized request through.
	 * @return 3328
	 */
	@Override
	public int imageTokens() {
		return 3328;
	}

	@Override
	public int maxBatchSize() {
		return CohereEmbeddings.MAX_BATCH_SIZE;
	}

	@Override
	public boolean reducesDimensions() {
		return true;
	}

	@Override
	public Mono<ProviderEmbeddings> embed(ProviderEmbeddingRequest request) {
		return embed(request, URI.create(baseUrl() + "/v2/embed"), EMBEDDINGS);
	}

}
