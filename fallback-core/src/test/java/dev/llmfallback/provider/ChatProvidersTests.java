package dev.llmfallback.provider;

import java.util.List;
import java.util.Map;

import dev.llmfallback.ErrorCategory;
import dev.llmfallback.provider.anthropic.AnthropicChatProvider;
import dev.llmfallback.provider.cohere.CohereChatProvider;
import dev.llmfallback.provider.gemini.GeminiChatProvider;
import dev.llmfallback.provider.ollama.OllamaChatProvider;
import dev.llmfallback.provider.openai.AzureOpenAiChatProvider;
import dev.llmfallback.provider.openai.OpenAiChatProvider;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** Tests for {@link ChatProviders}, {@link ProviderSettings} and {@link ClassificationRules}. */
class ChatProvidersTests {

	@Test
	void createsTheAdapterOfEachType() throws Exception {
		Map<String, Class<?>> types = Map.of("openai", OpenAiChatProvider.class, "azure-openai",
				AzureOpenAiChatProvider.class, "anthropic", AnthropicChatProvider.class, "gemini",
				GeminiChatProvider.class, "cohere", CohereChatProvider.class, "ollama", OllamaChatProvider.class);
		for (Map.Entry<String, Class<?>> type : types.entrySet()) {
			ProviderSettings settings = ProviderSettings.builder("p-" + type.getKey(), type.getKey())
				.baseUrl("http://127.0.0.1:1")
				.build();
			ChatProvider provider = ChatProviders.create(settings, null, null);
			assertThat(provider).isInstanceOf(type.getValue());
			assertThat(provider.name()).isEqualTo("p-" + type.getKey());
			assertThat(provider.type()).isEqualTo(type.getKey());
			((AutoCloseable) provider).close();
		}
	}

	@Test
	void unknownTypeNamesTheValidOnes() {
		ProviderSettings settings = ProviderSettings.builder("bedrock", "bedrock").build();
		assertThatIllegalArgumentException().isThrownBy(() -> ChatProviders.create(settings, null, null))
			.withMessageContaining("'bedrock'")
			.withMessageContaining("openai, azure-openai, anthropic, gemini, cohere, ollama");
	}

	@Test
	void settingsNeverShowTheApiKey() {
		ProviderSettings settings = ProviderSettings.builder("openai", "openai")
			.apiKey("sk-secret-value")
			.header("OpenAI-Organization", "org-1")
			.baseUrl("https://api.openai.com/v1/")
			.build();
		assertThat(settings.toString()).doesNotContain("sk-secret-value").contains("apiKey=(set)");
		assertThat(settings.baseUrl()).isEqualTo("https://api.openai.com/v1");
	}

	@Test
	void invalidUserPatternNamesItsCategory() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> ClassificationRules.fromIds(Map.of("rate-limit", List.of("(unclosed"))))
			.withMessageContaining("classification.rate_limit")
			.withMessageContaining("(unclosed");
	}

	@Test
	void userPatternsAreCaseInsensitive() {
		ClassificationRules rules = ClassificationRules.of(Map.of(ErrorCategory.QUOTA_EXCEEDED, List.of("out of juice")));
		assertThat(rules.match("Account is OUT OF JUICE")).isEqualTo(ErrorCategory.QUOTA_EXCEEDED);
		assertThat(rules.match("fine")).isNull();
	}

}
