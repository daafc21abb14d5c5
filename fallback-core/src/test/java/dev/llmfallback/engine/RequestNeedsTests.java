package dev.llmfallback.engine;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.llmfallback.ChatMessage;
import dev.llmfallback.ChatRequest;
import dev.llmfallback.ContentPart;
import dev.llmfallback.ResponseFormat;
import dev.llmfallback.Tool;
import dev.llmfallback.ToolCall;
import dev.llmfallback.ToolChoice;
import dev.llmfallback.policy.ModelDefinition;
import dev.llmfallback.testing.ScriptedProvider;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a chat request needs of a model, read from the request: tools (definitions, earlier tool
 * calls, tool results), vision (image parts), json-schema (a schema response format), streaming
 * (streams); and whether providers must be asked what they cannot carry, which a plain text request
 * never makes the walk do.
 */
class RequestNeedsTests {

	private static final Tool WEATHER = Tool.function("weather", "The weather in a city",
			Map.of("type", "object", "properties", Map.of("city", Map.of("type", "string"))));

	private static final ToolCall CALL = new ToolCall("call_1", "weather", "{\"city\":\"Paris\"}");

	@Test
	void aPlainTextRequestNeedsNothingAndAStreamNeedsStreaming() {
		ChatRequest text = ChatRequest.builder().system("Be brief.").user("hi").assistant("hello").user("bye").build();

		assertThat(ChatOperation.CALL.needs(text)).isEqualTo(Needs.NONE);
		assertThat(ChatOperation.STREAM.needs(text)).isEqualTo(Needs.STREAMING);
	}

	@Test
	void toolDefinitionsToolCallsAndToolResultsNeedTools() {
		ChatRequest definitions = ChatRequest.builder().user("weather?").tool(WEATHER).build();
		ChatRequest earlierCall = ChatRequest.of(ChatMessage.user("weather?"), ChatMessage.assistant(null, List.of(CALL)));
		ChatRequest result = ChatRequest.of(ChatMessage.user("weather?"), ChatMessage.toolResult("call_1", "sunny"));

		for (ChatRequest request : List.of(definitions, earlierCall, result)) {
			assertThat(ChatOperation.CALL.needs(request)).isEqualTo(Needs.TOOLS | Needs.PARAMS);
		}
	}

	@Test
	void anImageNeedsVisionAndASchemaNeedsJsonSchema() {
		ChatRequest image = ChatRequest.of(ChatMessage.user(ContentPart.text("what is this?"),
				ContentPart.imageUrl("https://example.com/cat.png")));
		ChatRequest schema = ChatRequest.builder()
			.user("a city")
			.responseFormat(ResponseFormat.jsonSchema("city", Map.of("type", "object"), true))
			.build();
		ChatRequest jsonObject = ChatRequest.builder().user("a city").responseFormat(ResponseFormat.JSON_OBJECT).build();

		assertThat(ChatOperation.CALL.needs(image)).isEqualTo(Needs.VISION | Needs.PARAMS);
		assertThat(ChatOperation.STREAM.needs(schema)).isEqualTo(Needs.JSON_SCHEMA | Needs.STREAMING | Needs.PARAMS);
		assertThat(ChatOperation.CALL.needs(jsonObject)).as("JSON mode is no capability, but a parameter to ask about")
			.isEqualTo(Needs.PARAMS);
	}

	@Test
	void textWithExtrasAnEndUserAToolChoiceFlagOrAnAuthorNameAsksTheProviders() {
		List<ChatRequest> requests = List.of(ChatRequest.builder().user("hi").extra("logprobs", true).build(),
				ChatRequest.builder().user("hi").endUser("user-42").build(),
				ChatRequest.builder().user("hi").parallelToolCalls(false).build(),
				ChatRequest.of(new ChatMessage(dev.llmfallback.Role.USER, List.of(ContentPart.text("hi")), List.of(), null,
						"alice")));

		for (ChatRequest request : requests) {
			assertThat(ChatOperation.CALL.needs(request)).as(request.toString()).isEqualTo(Needs.PARAMS);
		}
		assertThat(ChatOperation.CALL.needs(ChatRequest.builder().user("hi").toolChoice(ToolChoice.NONE).build()))
			.isEqualTo(Needs.PARAMS);
	}

	@Test
	void aPlainTextRequestNeverAsksAProviderWhatItCannotCarry() {
		Fixture fixture = new Fixture();
		ScriptedProvider a = fixture.model(ModelDefinition.builder("a").provider("a").maxInputTokens(100_000).build());
		FallbackEngine engine = fixture.chain("a").engine();

		fixture.run(engine.chatService().chat(ChatRequest.builder().system("Be brief.").user("hi").build())).get();
		fixture.run(engine.chatService().stream(ChatRequest.of("hi")).collectList()).get();
		assertThat(a.paramQuestions()).as("text only").isZero();
		fixture.run(engine.chatService().chat(ChatRequest.builder().user("hi").extra("seed", 7).build())).get();
		assertThat(a.paramQuestions()).as("with an extra parameter").isEqualTo(1);
	}

	@Test
	void imagesAreCountedPerPart() {
		ChatRequest request = ChatRequest.of(
				ChatMessage.user(ContentPart.imageUrl("https://example.com/a.png"), ContentPart.text("and"),
						ContentPart.imageData("image/png", "iVBORw0KGgo=")),
				ChatMessage.user(ContentPart.imageUrl("data:image/jpeg;base64,/9j/4AAQ")));

		assertThat(ChatOperation.CALL.images(request)).isEqualTo(3);
		assertThat(ChatOperation.CALL.images(ChatRequest.of("hi"))).isZero();
	}

}
