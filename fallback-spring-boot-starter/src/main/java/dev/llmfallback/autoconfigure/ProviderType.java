package dev.llmfallback.autoconfigure;

import java.util.Locale;

/**
 * The wire protocols a configured provider can speak. An enum so that IDEs complete
 * {@code llm.fallback.providers.<name>.type}; written in properties as {@code openai},
 * {@code azure-openai}, ... (any case, dashes or underscores).
 */
public enum ProviderType {

	/** OpenAI and every OpenAI-compatible server (Groq, Mistral, DeepSeek, OpenRouter, vLLM, LM Studio, Ollama's /v1). */
	OPENAI,

	/** Azure OpenAI deployments. */
	AZURE_OPENAI,

	/** Anthropic's Messages API. */
	ANTHROPIC,

	/** Google's Gemini API. */
	GEMINI,

	/** Cohere's v2 chat API. */
	COHERE,

	/** Ollama's native chat API. */
	OLLAMA;

	/** @return the type as the provider adapters name it, e.g. {@code azure-openai} */
	public String id() {
		return name().toLowerCase(Locale.ROOT).replace('_', '-');
	}

	@Override
	public String toString() {
		return id();
	}

}
