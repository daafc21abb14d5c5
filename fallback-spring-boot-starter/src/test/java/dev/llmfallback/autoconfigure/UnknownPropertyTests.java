package dev.llmfallback.autoconfigure;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;

import dev.llmfallback.policy.FallbackConfigurationException;

import static org.assertj.core.api.Assertions.assertThat;

/** Where an unbound name leaves the shape of {@link LlmFallbackProperties}, and what it likely meant. */
class UnknownPropertyTests {

	private static FallbackConfigurationException explain(String name) {
		return UnknownProperty.explain(ConfigurationPropertyName.adapt(name, '.'));
	}

	@Test
	void namesTheWholePropertyRelativeToTheRoot() {
		assertThat(explain("llm.fallback.polices.chat.models").property()).isEqualTo("polices.chat.models");
		assertThat(explain("llm.fallback.polices.chat.models").action())
			.contains("Did you mean 'llm.fallback.policies.chat.models'?");
	}

	@Test
	void keepsTheRestOfTheNameInTheSuggestion() {
		assertThat(explain("llm.fallback.policies.chat.cooldwon.window").action())
			.contains("'llm.fallback.policies.chat.cooldown.window'");
		assertThat(explain("llm.fallback.metrics.genai-x.enabled").action()).contains("Valid names under llm.fallback.metrics: gen-ai");
	}

	@Test
	void explainsNamesBelowAListOrASingleValue() {
		assertThat(explain("llm.fallback.policies.chat.models.first").problem()).contains("is a list");
		assertThat(explain("llm.fallback.policies.chat.timeout.seconds").problem()).contains("is a single value");
	}

	@Test
	void dashedFormOfRecordComponents() {
		assertThat(UnknownProperty.dashed("maxInputTokens")).isEqualTo("max-input-tokens");
		assertThat(UnknownProperty.dashed("genAi")).isEqualTo("gen-ai");
	}

}
