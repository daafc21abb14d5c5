package dev.llmfallback.provider.anthropic;

import dev.llmfallback.provider.ClassificationRules;
import dev.llmfallback.provider.ProviderRequest;
import dev.llmfallback.provider.ProviderResponse;
import dev.llmfallback.provider.ProviderSettings;
import dev.llmfallback.provider.http.HttpChatProvider;
import dev.llmfallback.provider.http.HttpWireFormat;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpHeaders;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Adapter for Anthropic's Messages API: {@code POST {base-url}/v1/messages} with {@code x-api-key}
 * and {@code anthropic-version: 2023-06-01}. System messages become the top-level {@code system}
 * field; {@code max_tokens}, which the API requires, defaults to {@value #DEFAULT_MAX_TOKENS}.
 * Streams are Server-Sent Events ({@code message_start}, {@code content_block_delta},
 * {@code message_delta}, {@code message_stop}, {@code ping}, {@code error}). The mapping is
 * {@link AnthropicMessages} (with {@link AnthropicContent}, {@link AnthropicTools} and
 * {@link AnthropicEvents}), the format's own error rules {@link AnthropicErrors}.
 */
public class AnthropicChatProvider extends HttpChatProvider {

	/** Anthropic's base URL. */
	public static final String DEFAULT_BASE_URL = "https://api.anthropic.com";

	/** The API version this adapter speaks. */
	public static final String API_VERSION = "2023-06-01";

	/** {@code max_tokens} when the request sets none (the API requires one). */
	public static final int DEFAULT_MAX_TOKENS = 4096;

	/** Tokens one image is estimated at: see {@link #imageTokens()}. */
	public static final int IMAGE_TOKENS = 1600;

	public AnthropicChatProvider(ProviderSettings settings, WebClient.@Nullable Builder webClientBuilder,
			@Nullable ClassificationRules rules) {
		super(settings, webClientBuilder, rules,
				new HttpWireFormat(new AnthropicMessages(), AnthropicErrors.RULES, DEFAULT_BASE_URL, "/v1/messages"));
	}

	/**
	 * Maps the answer of a request with a response format back: the answer tool's call (see
	 * {@link AnthropicTools}) becomes the text content.
	 */
	@Override
	public Mono<ProviderResponse> chat(ProviderRequest request) {
		String answerTool = AnthropicTools.answerTool(request.request());
		Mono<ProviderResponse> answer = super.chat(request);
		return (answerTool != null) ? answer.map((response) -> AnthropicMessages.answerAsText(response, answerTool))
				: answer;
	}

	/**
	 * Anthropic's estimate for one image: tokens = width * height / 750, about 1,600 for the
	 * largest image that is not resized (1.15 megapixels, e.g. 1092 x 1092);
	 * https://platform.claude.com/docs/en/build-with-claude/vision#calculate-image-costs.
	 * @return {@value #IMAGE_TOKENS}
	 */
	@Override
	public int imageTokens() {
		return IMAGE_TOKENS;
	}

	@Override
	protected void authenticate(HttpHeaders headers, String apiKey) {
		headers.set("x-api-key", apiKey);
	}

	@Override
	protected void addHeaders(HttpHeaders headers) {
		headers.set("anthropic-version", API_VERSION);
	}

}
