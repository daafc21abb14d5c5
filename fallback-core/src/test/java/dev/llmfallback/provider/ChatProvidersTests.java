package dev.llmfallback.provider;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import dev.llmfallback.ChatMessage;
import dev.llmfallback.ChatRequest;
import dev.llmfallback.ErrorCategory;
import dev.llmfallback.provider.anthropic.AnthropicChatProvider;
import dev.llmfallback.provider.cohere.CohereChatProvider;
import dev.llmfallback.provider.gemini.GeminiChatProvider;
import dev.llmfallback.provider.ollama.OllamaChatProvider;
import dev.llmfallback.provider.ollama.OllamaProviderFactory;
import dev.llmfallback.provider.openai.AzureOpenAiChatProvider;
import dev.llmfallback.provider.openai.OpenAiChatProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

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
	void typesAreTheRegisteredOnesInRegistrationOrder() {
		assertThat(ChatProviders.types()).isSameAs(ChatProviders.TYPES)
			.containsExactly("openai", "azure-openai", "anthropic", "gemini", "cohere", "ollama");
	}

	@Test
	void aNewWireFormatIsOneRegistration(@TempDir Path classes) throws Exception {
		try (URLClassLoader loader = registering(classes, EchoFactory.class)) {
			Map<String, ProviderFactory> factories = ChatProviders.load(loader);
			assertThat(factories.keySet()).containsExactly("openai", "azure-openai", "anthropic", "gemini", "cohere",
					"ollama", "echo");
			ChatProvider echo = factories.get("echo").create(ProviderSettings.builder("e", "echo").build(), null,
					ClassificationRules.none());
			assertThat(echo.chat(new ProviderRequest("m", ChatRequest.of("ping"))).block().content()).isEqualTo("ping");
		}
	}

	@Test
	void aTypeRegisteredTwiceFailsNamingBothFactories(@TempDir Path classes) throws Exception {
		try (URLClassLoader loader = registering(classes, OllamaTwin.class)) {
			assertThatIllegalStateException().isThrownBy(() -> ChatProviders.load(loader))
				.withMessageContaining("'ollama'")
				.withMessageContaining(OllamaProviderFactory.class.getName())
				.withMessageContaining(OllamaTwin.class.getName());
		}
	}

	/** A class loader that sees the built-in registrations and one more, as a jar of its own would add it. */
	private URLClassLoader registering(Path classes, Class<? extends ProviderFactory> factory) throws Exception {
		Path services = classes.resolve("META-INF/services/" + ProviderFactory.class.getName());
		Files.createDirectories(services.getParent());
		Files.writeString(services, factory.getName() + "\n");
		return new URLClassLoader(new URL[] { classes.toUri().toURL() }, getClass().getClassLoader());
	}

	/** A wire format of its own: answers with the last message. */
	public static final class EchoFactory extends ProviderFactory {

		public EchoFactory() {
			super("echo", (settings, builder, rules) -> new ChatProvider() {

				@Override
				public String name() {
					return settings.name();
				}

				@Override
				public Mono<ProviderResponse> chat(ProviderRequest request) {
					List<ChatMessage> messages = request.request().messages();
					return Mono.just(new ProviderResponse(messages.get(messages.size() - 1).content(), "stop", null, null));
				}

				@Override
				public Flux<ProviderChunk> stream(ProviderRequest request) {
					return chat(request).map((response) -> new ProviderChunk(response.content(), "stop", null, null)).flux();
				}

			});
		}

	}

	/** A second registration of a built-in type. */
	public static final class OllamaTwin extends ProviderFactory {

		public OllamaTwin() {
			super("ollama", OllamaChatProvider::new);
		}

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
