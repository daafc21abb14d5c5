package dev.llmfallback.provider.openai;

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
 * Adapter for OpenAI's Chat Completions API and every server that speaks it (Groq, Mistral,
 * DeepSeek, OpenRouter, vLLM, LM Studio, Ollama's {@code /v1}): {@code POST {base-url}/chat/completions}
 * with a bearer key; streams are Server-Sent Events ending with {@code data: [DONE]}, with
 * {@code stream_options.include_usage} so the last chunk carries usage. The mapping is
 * {@link OpenAiMessages}, the format's own error rules {@link OpenAiErrors}. Embeddings go to
 * {@code POST {base-url}/embeddings} ({@link OpenAiEmbeddings}), classified by the same rules.
 */
public class OpenAiChatProvider extends HttpChatProvider implements EmbeddingProvider {

	/** OpenAI's base URL, the one its SDKs use. */
	public static final String DEFAULT_BASE_URL = "https://api.openai.com/v1";

	public OpenAiChatProvider(ProviderSettings settings, WebClient.@Nullable Builder webClientBuilder,
			@Nullable ClassificationRules rules) {
		this(settings, webClientBuilder, rules, new OpenAiMessages(true), DEFAULT_BASE_URL, "/chat/completions");
	}

	/**
	 * An adapter of the same wire format at another endpoint.
	 * @param settings the provider's settings
	 * @param webClientBuilder the application's builder, or {@code null}
	 * @param rules the user's message patterns, or {@code null}
	 * @param messages the mapping (whether the body names the model)
	 * @param defaultBaseUrl the base URL when none is configured, or {@code null} where one must be
	 * @param path the endpoint below the base URL, or {@code null} where {@link #uri} is overridden
	 */
	OpenAiChatProvider(ProviderSettings settings, WebClient.@Nullable Builder webClientBuilder,
			@Nullable ClassificationRules rules, OpenAiMessages messages, @Nullable String defaultBaseUrl,
			@Nullable String path) {
		super(settings, webClientBuilder, rules, new HttpWireFormat(messages, OpenAiErrors.RULES, defaultBaseUrl, path));
	}

	private static final OpenAiEmbeddings EMBEDDINGS = new OpenAiEmbeddings(true);

	/** A 1024 x 1024 image at {@code detail: high}, the most a typical image costs. */
	private static final int IMAGE_TOKENS = 765;

	/**
	 * OpenAI's documented cost of an image: 85 base tokens plus 170 per 512-pixel tile at
	 * {@code detail: high}, so a 1024 x 1024 image costs 765
	 * (https://platform.openai.com/docs/guides/vision#calculating-costs). Used for Azure and
	 * compatible servers too, which document no figure of their own.
	 * @return 765
	 */
	@Override
	public int imageTokens() {
		return IMAGE_TOKENS;
	}

	@Override
	public int maxBatchSize() {
		return OpenAiEmbeddings.MAX_BATCH_SIZE;
	}

	@Override
	public boolean reducesDimensions() {
		return true;
	}

	@Override
	public Mono<ProviderEmbeddings> embed(ProviderEmbeddingRequest request) {
		return embed(request, embeddingUri(request), embeddings());
	}

	/** @return the mapping of embedding requests (Azure's body names no model) */
	OpenAiEmbeddings embeddings() {
		return EMBEDDINGS;
	}

	/**
	 * @param request the call
	 * @return where embedding requests go
	 */
	URI embeddingUri(ProviderEmbeddingRequest request) {
		return URI.create(baseUrl() + "/embeddings");
	}

}
