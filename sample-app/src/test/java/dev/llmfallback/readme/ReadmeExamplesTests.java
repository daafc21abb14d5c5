package dev.llmfallback.readme;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
	void theContextWindowLinesReadTheCatalogueTheEstimatorAndTheEngine() {
		ContextWindows.Figures hello = ContextWindows.figures(this.engine, "hello");
		assertThat(hello.window()).isEqualTo(128_000);
		assertThat(hello.tokens()).isBetween(5, 12);
		assertThat(hello.checked()).isEqualTo(128_000);
		assertThat(hello.fits()).isTrue();
		ContextWindows.Figures tooLong = ContextWindows.figures(this.engine, "word ".repeat(130_000));
		assertThat(tooLong.tokens()).isGreaterThan(128_000);
		assertThat(tooLong.fits()).isFalse();
	}

	@Test
	void theToolLoopRunsTheToolAndSendsItsResultBackToTheModelThatServesNext() {
		// The first model is rate limited; the second calls the tool, then answers from its result.
		java.util.List<dev.llmfallback.ChatRequest> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
		ScriptedProvider tools = ScriptedProvider.builder("anthropic")
			.then(Step.toolCalls(new dev.llmfallback.ToolCall("toolu_1", "get_weather", "{\"city\":\"Paris\"}")))
			.otherwise(Step.reply("Sunny in Paris"))
			.build();
		FallbackEngine engine = FallbackEngine.builder()
			.providers(List.of(ScriptedProvider.builder("openai").otherwise(Step.fail(ErrorCategory.RATE_LIMIT).status(429)).build(),
					tools))
			.model(ModelDefinition.builder("gpt-4o-mini").provider("openai").build())
			.model(ModelDefinition.builder("claude-haiku").provider("anthropic").model("claude-3-5-haiku-latest").build())
			.policy(FallbackPolicy.builder("chat").models("gpt-4o-mini", "claude-haiku").build())
			.build();
		java.util.List<String> ran = new java.util.ArrayList<>();
		dev.llmfallback.ChatResponse answer = ToolLoop.ask(engine.chatService(), "Weather in Paris?", (name, arguments) -> {
			ran.add(name + " " + arguments);
			return "{\"weather\":\"sunny\"}";
		});
		assertThat(ran).containsExactly("get_weather {\"city\":\"Paris\"}");
		assertThat(answer.content()).isEqualTo("Sunny in Paris");
		assertThat(answer.servedBy()).isEqualTo("claude-haiku");
		assertThat(tools.requests()).hasSize(2);
		assertThat(tools.requests().get(1).request().messages()).extracting(dev.llmfallback.ChatMessage::toolCallId)
			.containsExactly(null, null, "toolu_1");
	}

	@Test
	void theReadmeShowsThisCode() throws IOException {
		String readme = Files.readString(Path.of("..", "README.md"));
		assertThat(readme).contains(ToolLoop.README_LINES);
		assertThat(readme).contains(ContextWindows.README_LINES)
			.contains("return this.chatService.chat(ChatRequest.of(question.prompt()))")
			.contains(".map((response) -> new Answer(response.content(), response.servedBy(), response.fallbacks()));")
			.contains("return this.chatService.call(prompt);")
			.contains("<groupId>dev.llmfallback</groupId>")
			.contains("<artifactId>fallback-spring-boot-starter</artifactId>")
			.contains("<version>0.1.0-SNAPSHOT</version>")
			.contains("dev.llmfallback:fallback-spring-boot-starter:0.1.0-SNAPSHOT");
	}

}
