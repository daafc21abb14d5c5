package dev.llmfallback.sample;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.core.http.HttpResponseFor;
import com.openai.core.http.StreamResponse;
import com.openai.helpers.ChatCompletionAccumulator;
import com.openai.models.FunctionDefinition;
import com.openai.models.FunctionParameters;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionFunctionTool;
import com.openai.models.chat.completions.ChatCompletionMessage;
import com.openai.models.chat.completions.ChatCompletionMessageFunctionToolCall;
import com.openai.models.chat.completions.ChatCompletionToolMessageParam;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The official OpenAI Java SDK runs a whole tool loop through the gateway (the tool call, its result,
 * the final answer; whole and streamed, the stream read by the SDK's own accumulator) while the
 * policy's primary, an OpenAI-format provider, is down, so a fallback on Anthropic's wire format
 * serves every turn.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "sample.simulator.providers.down.overloaded=1",
				"llm.fallback.providers.down-openai.type=openai",
				"llm.fallback.providers.down-openai.base-url=${sample.simulator.base-url}/down/v1",
				"llm.fallback.providers.down-openai.api-key=simulated",
				"llm.fallback.models.down-gpt.provider=down-openai", "llm.fallback.models.down-gpt.model=gpt-4o",
				"llm.fallback.policies.tool-loop.models[0]=down-gpt",
				"llm.fallback.policies.tool-loop.models[1]=claude-haiku",
				"llm.fallback.policies.tool-loop.retry.max-retries=0" })
class SdkToolLoopTests {

	@LocalServerPort
	int port;

	private OpenAIClient sdk() {
		return OpenAIOkHttpClient.builder()
			.baseUrl("http://127.0.0.1:" + this.port + "/v1")
			.apiKey("no-client-key-needed-on-loopback")
			.maxRetries(0)
			.timeout(Duration.ofSeconds(30))
			.build();
	}

	private static ChatCompletionCreateParams.Builder question() {
		FunctionParameters schema = FunctionParameters.builder()
			.putAdditionalProperty("type", JsonValue.from("object"))
			.putAdditionalProperty("properties", JsonValue.from(Map.of("city", Map.of("type", "string"))))
			.putAdditionalProperty("required", JsonValue.from(List.of("city")))
			.build();
		return ChatCompletionCreateParams.builder()
			.model("tool-loop")
			.addUserMessage("What is the weather in Paris?")
			.addTool(ChatCompletionFunctionTool.builder()
				.function(FunctionDefinition.builder().name("get_weather").parameters(schema).build())
				.build());
	}

	private static ChatCompletionToolMessageParam result(String callId) {
		return ChatCompletionToolMessageParam.builder().toolCallId(callId).content("21 degrees, sunny").build();
	}

	@Test
	void aWholeToolLoopFallsBackAcrossWireFormats() {
		HttpResponseFor<ChatCompletion> first = sdk().chat().completions().withRawResponse().create(question().build());
		assertThat(first.headers().values(OpenAiChatCompletions.SERVED_BY)).containsExactly("claude-haiku");
		ChatCompletion.Choice choice = first.parse().choices().get(0);
		assertThat(choice.finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.TOOL_CALLS);
		ChatCompletionMessage message = choice.message();
		assertThat(message.content()).isEmpty();
		ChatCompletionMessageFunctionToolCall call = message.toolCalls().orElseThrow().get(0).asFunction();
		assertThat(call.function().name()).isEqualTo("get_weather");
		assertThat(call.function().arguments()).contains("\"city\"");

		ChatCompletion last = sdk().chat()
			.completions()
			.create(question().addMessage(message).addMessage(result(call.id())).build());
		assertThat(last.choices().get(0).finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.STOP);
		assertThat(last.choices().get(0).message().content()).hasValueSatisfying(
				(text) -> assertThat(text).contains("21 degrees"));
	}

	@Test
	void aStreamedToolLoopFallsBackAcrossWireFormats() {
		ChatCompletionAccumulator accumulator = ChatCompletionAccumulator.create();
		try (StreamResponse<ChatCompletionChunk> stream = sdk().chat().completions().createStreaming(question().build())) {
			stream.stream().forEach(accumulator::accumulate);
		}
		ChatCompletion.Choice choice = accumulator.chatCompletion().choices().get(0);
		assertThat(choice.finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.TOOL_CALLS);
		ChatCompletionMessageFunctionToolCall call = choice.message().toolCalls().orElseThrow().get(0).asFunction();
		assertThat(call.id()).isNotBlank();
		assertThat(call.function().name()).isEqualTo("get_weather");

		StringBuilder text = new StringBuilder();
		try (StreamResponse<ChatCompletionChunk> stream = sdk().chat()
			.completions()
			.createStreaming(question().addMessage(choice.message()).addMessage(result(call.id())).build())) {
			stream.stream().forEach((chunk) -> chunk.choices().forEach((c) -> c.delta().content().ifPresent(text::append)));
		}
		assertThat(text.toString()).contains("21 degrees");
	}

}
