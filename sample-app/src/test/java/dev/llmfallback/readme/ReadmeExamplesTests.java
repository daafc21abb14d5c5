package dev.llmfallback.readme;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.llmfallback.ChatService;
import dev.llmfallback.ErrorCategory;
import dev.llmfallback.engine.FallbackEngine;
import dev.llmfallback.policy.FallbackPolicy;
import dev.llmfallback.policy.ModelDefinition;
import dev.llmfallback.testing.ScriptedProvider;
import dev.llmfallback.testing.Step;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's code, compiled and run: its two controllers over a chain whose first model is rate
 * limited, and its context-window helpers. The package lies outside the sample app's component scan
 * (dev.llmfallback.sample), so these controllers never join its context.
 */
class ReadmeExamplesTests {

	private final FallbackEngine engine = FallbackEngine.builder()
		.providers(List.of(
				ScriptedProvider.builder("openai").otherwise(Step.fail(ErrorCategory.RATE_LIMIT).status(429)).build(),
				ScriptedProvider.replying("anthropic", "hello from the fallback")))
		.model(ModelDefinition.builder("gpt-4o-mini").provider("openai").build())
		.model(ModelDefinition.builder("claude-haiku").provider("anthropic").model("claude-3-5-haiku-latest").build())
		.policy(FallbackPolicy.builder("chat").models("gpt-4o-mini", "claude-haiku").build())
		.build();

	private final ChatService chatService = this.engine.chatService();

	@Test
	void theWebFluxControllerAnswersWithTheModelThatServed() {
		WebTestClient.bindToController(new AskController(this.chatService))
			.build()
			.post()
			.uri("/ask")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"prompt\":\"hello\"}")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.text")
			.isEqualTo("hello from the fallback")
			.jsonPath("$.servedBy")
			.isEqualTo("claude-haiku")
			.jsonPath("$.fallbacks")
			.isEqualTo(1);
	}

	@Test
	void theBlockingControllerAnswersOnACallersThread() {
		assertThat(new BlockingAskController(this.chatService).ask("hello")).isEqualTo("hello from the fallback");
	}

	@Test
	void theContextWindowHelpersReadTheCatalogueAndTheEngine() {
		assertThat(ContextWindows.catalogueWindow("gpt-4o")).isEqualTo(128_000);
		assertThat(ContextWindows.catalogueWindow("no-such-model")).isZero();
		assertThat(this.engine.maxInputTokens("gpt-4o-mini")).isEqualTo(128_000);
		assertThat(ContextWindows.fits(this.engine, "gpt-4o-mini", "hello")).isTrue();
		assertThat(ContextWindows.fits(this.engine, "gpt-4o-mini", "word ".repeat(130_000))).isFalse();
	}

}
