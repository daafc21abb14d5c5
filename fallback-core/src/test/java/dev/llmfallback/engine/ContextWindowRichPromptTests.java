package dev.llmfallback.engine;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.llmfallback.ChatMessage;
import dev.llmfallback.ChatRequest;
import dev.llmfallback.ChatResponse;
import dev.llmfallback.ContentPart;
import dev.llmfallback.ResponseFormat;
import dev.llmfallback.SkipReason;
import dev.llmfallback.Tool;
import dev.llmfallback.ToolCall;
import dev.llmfallback.policy.ModelDefinition;
import dev.llmfallback.testing.ScriptedProvider;
import dev.llmfallback.testing.Step;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The context-window pre-check counts everything a provider receives: tool definitions (with their
 * schemas), the assistant's tool calls, tool results, a response schema, and images at each
 * provider's own figure.
 */
class ContextWindowRichPromptTests {

	private static final String PARAGRAPH = "lorem ipsum dolor sit amet ";

	private final Fixture fixture = new Fixture();

	private static ModelDefinition window(String name, int tokens) {
		return ModelDefinition.builder(name).provider(name).maxInputTokens(tokens).build();
	}

	/** A tool whose schema holds about {@code words} words of descriptions. */
	private static Tool bulkyTool(String name, int words) {
		Map<String, Object> properties = new LinkedHashMap<>();
		for (int i = 0; i < 10; i++) {
			properties.put("field" + i, Map.of("type", "string", "description", PARAGRAPH.repeat(words / 50)));
		}
		return Tool.function(name, "Looks things up", Map.of("type", "object", "properties", properties));
	}

	@Test
	void toolDefinitionsAlonePushARequestPastASmallWindow() {
		ScriptedProvider small = this.fixture.model(window("small", 500), Step.reply("from small"));
		this.fixture.model(window("large", 100_000), Step.reply("from large"));
		FallbackEngine engine = this.fixture.chain("small", "large").engine();
		ChatRequest withoutTools = ChatRequest.of("Look it up");
		ChatRequest withTools = withoutTools.toBuilder().tool(bulkyTool("lookup", 500)).build();

		ChatResponse plain = this.fixture.run(engine.chatService().chat(withoutTools)).get();
		ChatResponse tools = this.fixture.run(engine.chatService().chat(withTools)).get();

		assertThat(plain.servedBy()).isEqualTo("small");
		assertThat(tools.servedBy()).isEqualTo("large");
		assertThat(tools.attempts().get(0).skipReason()).isEqualTo(SkipReason.CONTEXT_WINDOW);
		assertThat(small.calls()).isEqualTo(1);
	}

	@Test
	void imagesCountAtEachProvidersOwnFigure() {
		ScriptedProvider costly = this.fixture.model(window("costly", 2000), (provider) -> provider.imageTokens(1500));
		this.fixture.model(window("cheap", 2000), (provider) -> provider.imageTokens(85).otherwise(Step.reply("from cheap")));
		FallbackEngine engine = this.fixture.chain("costly", "cheap").engine();
		ContentPart image = ContentPart.imageUrl("https://example.com/a.png");
		ChatRequest twoImages = ChatRequest.of(ChatMessage.user(ContentPart.text("compare"), image, image));

		ChatResponse response = this.fixture.run(engine.chatService().chat(twoImages)).get();

		assertThat(response.servedBy()).isEqualTo("cheap");
		assertThat(response.attempts()).extracting((attempt) -> attempt.model() + ":" + attempt.skipReason())
			.containsExactly("costly:context_window", "cheap:null");
		assertThat(costly.calls()).isZero();
	}

	@Test
	void theEstimateCountsToolsToolCallsToolResultsAndASchema() {
		TokenEstimator estimator = TokenEstimator.shared();
		ChatRequest question = ChatRequest.of("What is the weather in Paris?");
		String arguments = "{\"city\":\"" + PARAGRAPH.repeat(20) + "\"}";
		ChatRequest withCall = ChatRequest.of(question.messages().get(0),
				ChatMessage.assistant(null, List.of(new ToolCall("call_1", "weather", arguments))));
		ChatRequest withResult = ChatRequest.of(question.messages().get(0),
				ChatMessage.toolResult("call_1", PARAGRAPH.repeat(20)));
		ChatRequest withTool = question.toBuilder().tool(bulkyTool("weather", 100)).build();
		ChatRequest withSchema = question.toBuilder()
			.responseFormat(ResponseFormat.jsonSchema("forecast",
					Map.of("type", "object", "description", PARAGRAPH.repeat(20)), true))
			.build();

		int base = estimator.estimate(question);
		for (ChatRequest request : List.of(withCall, withResult, withTool, withSchema)) {
			int tokens = estimator.estimate(request);
			assertThat(tokens).as(request.toString()).isGreaterThan(base + 90);
			assertThat(TokenEstimator.upperBound(request)).as("the bound stays a bound").isGreaterThanOrEqualTo(tokens);
		}
	}

	@Test
	void theBoundHoldsForEscapedAndMultiByteSchemaText() {
		Tool tool = Tool.function("t", "\u00e9\u4e2d\n\"\\", Map.of("type", "object", "description",
				"\u0001\u0002\u4e2d\u6587\ud83d\ude00\"\\\n".repeat(50), "enum", List.of(1, 2.5, true, "x")));
		ChatRequest request = ChatRequest.builder().user("hi").tool(tool).build();

		assertThat(TokenEstimator.upperBound(request)).isGreaterThanOrEqualTo(TokenEstimator.shared().estimate(request));
	}

}
