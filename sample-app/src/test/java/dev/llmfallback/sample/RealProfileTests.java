package dev.llmfallback.sample;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.test.context.ActiveProfiles;

import dev.llmfallback.engine.FallbackEngine;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code real} profile starts with whatever keys are present and chains those providers. Its
 * providers are off this machine, so the gateway needs client keys to start ({@link GatewayAccessTests}).
 */
class RealProfileTests {

	@Nested
	@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = { "ANTHROPIC_API_KEY=sk-ant-not-a-real-key", "llm.gateway.client-keys=gw-test-key" })
	@ActiveProfiles("real")
	class WithOneKey {

		@Autowired
		FallbackEngine engine;

		@Test
		void chainsTheProviderWithAKeyThenTheLocalOllama() {
			assertThat(this.engine.policies().get("chat").models()).containsExactly("claude-haiku", "llama");
		}

		@Test
		void embedsWithTheLocalOllamaSinceAnthropicHasNoEmbeddings() {
			assertThat(this.engine.policies().get("embed").models()).containsExactly("ollama-embed");
		}

	}

	@Nested
	@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = { "OPENAI_API_KEY=sk-not-a-real-key",
			"GEMINI_API_KEY=not-a-real-key", "llm.gateway.client-keys=gw-test-key" })
	@ActiveProfiles("real")
	class WithOpenAiAndGeminiKeys {

		@Autowired
		FallbackEngine engine;

		@Test
		void embedsWithOpenAiThenGeminiThenOllamaAllAt768Dimensions() {
			assertThat(this.engine.policies().get("embed").models()).containsExactly("openai-embed", "gemini-embed",
					"ollama-embed");
			assertThat(this.engine.policies().get("chat").models()).containsExactly("gpt-4o-mini", "gemini-flash",
					"llama");
		}

	}

	@Nested
	@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = { "OPENAI_API_KEY=", "ANTHROPIC_API_KEY=",
			"GEMINI_API_KEY=", "AZURE_API_KEY=", "llm.gateway.client-keys=gw-test-key" })
	@ActiveProfiles("real")
	class WithoutKeys {

		@Autowired
		FallbackEngine engine;

		@Test
		void fallsBackToTheLocalOllamaAlone() {
			assertThat(this.engine.policies().get("chat").models()).containsExactly("llama");
			assertThat(this.engine.policies().get("embed").models()).containsExactly("ollama-embed");
		}

	}

}
