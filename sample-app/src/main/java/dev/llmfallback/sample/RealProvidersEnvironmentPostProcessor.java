package dev.llmfallback.sample;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * With the {@code real} profile, builds the {@code chat} policy's chain from the providers whose keys
 * the environment holds (OpenAI, Anthropic, Gemini, Azure OpenAI, in that order), with a local Ollama
 * last, so that one key is enough to start; and the {@code embed} policy's chain likewise (OpenAI,
 * Gemini, then Ollama: Anthropic has no embeddings). A chain set in the configuration wins.
 */
public class RealProvidersEnvironmentPostProcessor implements EnvironmentPostProcessor, Ordered {

	static final String CHAIN = "llm.fallback.policies.chat.models";

	static final String EMBED_CHAIN = "llm.fallback.policies.embed.models";

	/** Chat model name, and the environment variables its provider needs. */
	private static final Map<String, List<String>> MODELS = new LinkedHashMap<>();

	/** Embedding model name, and the environment variables its provider needs. */
	private static final Map<String, List<String>> EMBEDDING_MODELS = new LinkedHashMap<>();

	static {
		MODELS.put("gpt-4o-mini", List.of("OPENAI_API_KEY"));
		MODELS.put("claude-haiku", List.of("ANTHROPIC_API_KEY"));
		MODELS.put("gemini-flash", List.of("GEMINI_API_KEY"));
		MODELS.put("azure-gpt", List.of("AZURE_API_KEY", "AZURE_API_BASE"));
		EMBEDDING_MODELS.put("openai-embed", List.of("OPENAI_API_KEY"));
		EMBEDDING_MODELS.put("gemini-embed", List.of("GEMINI_API_KEY"));
	}

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		if (!Arrays.asList(environment.getActiveProfiles()).contains("real")) {
			return;
		}
		Map<String, Object> properties = new LinkedHashMap<>();
		chain(environment, CHAIN, MODELS, "llama", properties);
		chain(environment, EMBED_CHAIN, EMBEDDING_MODELS, "ollama-embed", properties);
		environment.getPropertySources().addLast(new MapPropertySource("realProviderChain", properties));
	}

	private static void chain(ConfigurableEnvironment environment, String property, Map<String, List<String>> models,
			String local, Map<String, Object> properties) {
		if (environment.containsProperty(property) || environment.containsProperty(property + "[0]")) {
			return;
		}
		List<String> chain = new ArrayList<>();
		models.forEach((model, variables) -> {
			if (variables.stream().allMatch((variable) -> !environment.getProperty(variable, "").isBlank())) {
				chain.add(model);
			}
		});
		chain.add(local);
		for (int i = 0; i < chain.size(); i++) {
			properties.put(property + "[" + i + "]", chain.get(i));
		}
	}

	@Override
	public int getOrder() {
		return Ordered.LOWEST_PRECEDENCE;
	}

}
