package dev.llmfallback.provider;

import java.util.List;

import dev.llmfallback.ChatMessage;
import dev.llmfallback.ChatRequest;
import dev.llmfallback.ContentPart;
import dev.llmfallback.Role;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Never silently drop, per message: an author's name and an image's detail hint are carried by
 * the formats that have them and named by the others, so the model is skipped (or the field
 * dropped and named, where the policy allows). A detail of {@code auto} asks for nothing.
 */
class MessageFieldsAcrossFormatsTests {

	private static List<String> unsupported(String type, ChatRequest request) {
		ChatProvider provider = ChatProviders.create(
				ProviderSettings.builder("p", type).baseUrl("http://127.0.0.1:9").apiKey("sk-test").build(), null, null);
		try {
			return provider.unsupportedParams(request);
		}
		finally {
			if (provider instanceof AutoCloseable closeable) {
				try {
					closeable.close();
				}
				catch (Exception ex) {
					throw new IllegalStateException(ex);
				}
			}
		}
	}

	private static ChatRequest image(String detail) {
		return ChatRequest.of(ChatMessage.user(ContentPart.text("What is it?"),
				ContentPart.Image.ofUrl("data:image/png;base64,iVBORw0KGgo=", detail)));
	}

	@ParameterizedTest(name = "{0}")
	@CsvSource({ "openai, true, true", "azure-openai, true, true", "anthropic, false, false", "gemini, false, false",
			"cohere, false, true", "ollama, false, false" })
	void anAuthorsNameAndAnImagesDetailAreCarriedOrNamed(String type, boolean carriesNames, boolean carriesDetail) {
		ChatRequest named = ChatRequest.of(new ChatMessage(Role.USER, List.of(ContentPart.text("hi")), List.of(), null, "ann"));
		assertThat(unsupported(type, named).contains("messages[].name")).isEqualTo(!carriesNames);
		assertThat(unsupported(type, image("high")).contains("image_url.detail")).isEqualTo(!carriesDetail);
		assertThat(unsupported(type, image("low")).contains("image_url.detail")).isEqualTo(!carriesDetail);
		assertThat(unsupported(type, image("auto"))).doesNotContain("image_url.detail");
		assertThat(unsupported(type, image(null))).doesNotContain("image_url.detail");
	}

}
