package dev.llmfallback.provider.openai;

import dev.llmfallback.provider.ClassificationRules;
import dev.llmfallback.provider.ProviderSettings;
import dev.llmfallback.provider.http.HttpChatProvider;
import dev.llmfallback.provider.http.HttpWireFormat;
import org.jspecify.annotations.Nullable;

import org.springframework.web.reactive.function.client.WebClient;

/**
 * Adapter for OpenAI's Chat Completions API and every server that speaks it (Groq, Mistral,
 * DeepSeek, OpenRouter, vLLM, LM Studio, Ollama's {@code /v1}): {@code POST {base-url}/chat/completions}
 * with a bearer key; streams are Server-Sent Events ending with {@code data: [DONE]}, with
 * {@code stream_options.include_usage} so the last chunk carries usage. The mapping is
 * {@link OpenAiMessages}, the format's own error rules {@link OpenAiErrors}.
 */
public class OpenAiChatProvider extends HttpChatProvider {

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

}
