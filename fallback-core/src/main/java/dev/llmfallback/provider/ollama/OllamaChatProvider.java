package dev.llmfallback.provider.ollama;

import java.net.URI;

import dev.llmfallback.provider.ClassificationRules;
import dev.llmfallback.provider.EmbeddingProvider;
import dev.llmfallback.provider.ProviderEmbeddingRequest;
import dev.llmfallback.provider.ProviderEmbeddings;
import dev.llmfallback.provider.ProviderSettings;
import dev.llmfallback.provider.http.HttpChatProvider;
import dev.llmfallback.provider.http.HttpWireFormat;
import dev.llmfallback.provider.http.StreamFraming;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import org.springframework.web.reactive.function.client.WebClient;

/**
 * Adapter for Ollama's native API: {@code POST {base-url}/api/chat}; streams are newline-delimited
 * JSON ending with a {@code "done": true} object that carries the finish reason and token counts.
 * No key is needed; one that is configured is sent as a bearer token (for Ollama behind an
 * authenticating proxy). The mapping is {@link OllamaMessages}, the format's own error rules
 * {@link OllamaErrors}. Embeddings go to
 * {@code POST {base-url}/api/embed} ({@link OllamaEmbeddings}).
 */
public class OllamaChatProvider extends HttpChatProvider implements EmbeddingProvider {

	/** Ollama's local base URL. */
	public static final String DEFAULT_BASE_URL = "http://localhost:11434";

	public OllamaChatProvider(ProviderSettings settings, WebClient.@Nullable Builder webClientBuilder,
			@Nullable ClassificationRules rules) {
		super(settings, webClientBuilder, rules,
				new HttpWireFormat(new OllamaMessages(), OllamaErrors.RULES, StreamFraming.NDJSON, DEFAULT_BASE_URL, "/api/chat"));
	}

	private static final OllamaEmbeddings EMBEDDINGS = new OllamaEmbeddings();

	/**
	 * What one image costs depends on the local model's vision encoder; Ollama documents no figure.
	 * This is LLaVA-1.5's (Ollama's {@code llava}): CLIP ViT-L/14 at 336 px gives (336 / 14)^2 = 576
	 * image tokens (https://huggingface.co/llava-hf/llava-1.5-7b-hf, "Improved Baselines with Visual
	 * Instruction Tuning", Liu et al. 2023). Other vision models differ (tiling ones cost more).
	 * @return 576
	 */
	@Override
	public int imageTokens() {
		return 576;
	}

	@Override
	public int maxBatchSize() {
		return OllamaEmbeddings.MAX_BATCH_SIZE;
	}

	@Override
	public boolean reducesDimensions() {
		return true;
	}

	@Override
	public Mono<ProviderEmbeddings> embed(ProviderEmbeddingRequest request) {
		return embed(request, URI.create(baseUrl() + "/api/embed"), EMBEDDINGS);
	}

}
