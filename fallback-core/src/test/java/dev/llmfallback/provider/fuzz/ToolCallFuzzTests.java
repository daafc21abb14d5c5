package dev.llmfallback.provider.fuzz;

import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

import dev.llmfallback.ChatChunk;
import dev.llmfallback.ErrorCategory;
import dev.llmfallback.ToolCall;
import dev.llmfallback.provider.StubServer.Reply;
import dev.llmfallback.provider.fuzz.Fuzz.Outcome;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.StringNode;

/**
 * Issue 13, point 10: tool calls whose arguments a provider got wrong. Each of the six adapters
 * gets a whole answer calling a tool with random arguments (random text where its format sends
 * arguments as a string, any JSON value where it sends an object); through the engine, an OpenAI
 * stream gets random argument fragments. Every case must end as tool calls whose arguments are one
 * JSON object each, or as {@code invalid_response}: never a hang, never another exception.
 */
@AddLifecycleHook(Fuzz.Budget.class)
class ToolCallFuzzTests {

	private static final JsonMapper JSON = JsonMapper.shared();

	@Property(tries = 60)
	void wholeAnswersWithRandomArgumentsAreCallsOfJsonObjectsOrInvalid(@ForAll("arguments") String arguments) {
		for (WireFormat format : WireFormat.values()) {
			Fuzz.server(format).clear();
			Fuzz.server(format).enqueue(Reply.json(200, answer(format, arguments)));
			Outcome outcome = Outcome.of(Fuzz.provider(format)
				.chat(Fuzz.request())
				.map((response) -> response.toolCalls().stream().map(ToolCall::arguments).collect(Collectors.joining("\n"))));
			String what = format + " answer with arguments " + arguments;
			outcome.expectSuccessOr(what, ErrorCategory.INVALID_RESPONSE);
			if (outcome.succeeded()) {
				if (outcome.text().isEmpty()) {
					throw new AssertionError(what + ": answered without the tool call");
				}
				for (String each : outcome.text().split("\n")) {
					expectObject(what, each);
				}
			}
		}
	}

	@Property(tries = 60)
	void streamedFragmentsAreAssembledIntoAJsonObjectOrInvalid(@ForAll("fragments") List<String> fragments) {
		StringBuilder stream = new StringBuilder(
				"data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"tool_calls\":[{\"index\":0,\"id\":\"call_1\",\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"arguments\":\"\"}}]}}]}\n\n");
		for (String fragment : fragments) {
			stream.append("data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":")
				.append(StringNode.valueOf(fragment))
				.append("}}]}}]}\n\n");
		}
		stream.append("data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"tool_calls\"}]}\n\ndata: [DONE]\n\n");
		Fuzz.server(WireFormat.OPENAI).clear();
		Fuzz.server(WireFormat.OPENAI).enqueue(Reply.sse(stream.toString()));
		Outcome outcome = Outcome.of(Fuzz.patientEngineStream(WireFormat.OPENAI)
			.filter(ChatChunk::last)
			.map((last) -> last.toolCalls().get(0).arguments())
			.timeout(Duration.ofSeconds(20)));
		String what = "OpenAI stream of argument fragments " + fragments;
		outcome.expectSuccessOr(what, ErrorCategory.INVALID_RESPONSE);
		if (outcome.succeeded()) {
			expectObject(what, outcome.text());
			String whole = String.join("", fragments);
			if (!outcome.text().equals(whole.isBlank() ? "{}" : whole)) {
				throw new AssertionError(what + ": assembled '" + outcome.text() + "'");
			}
		}
	}

	@Provide
	Arbitrary<String> arguments() {
		Arbitrary<String> valid = Arbitraries.of("{}", "{\"city\":\"Paris\"}", "{\"a\":[1,2,{\"b\":null}]}", " {\"x\": 1} ");
		Arbitrary<String> broken = Arbitraries.of("", "{", "}", "null", "[]", "[1,2]", "\"text\"", "42", "true",
				"{\"city\":", "{\"a\":1}{\"b\":2}", "{'single':'quotes'}", "{\"a\":1,}", "\u0000", "{\"deep\":"
						+ "[".repeat(600) + "]".repeat(600) + "}");
		Arbitrary<String> random = Arbitraries.strings().ofMaxLength(40);
		return Arbitraries.oneOf(valid, broken, random);
	}

	@Provide
	Arbitrary<List<String>> fragments() {
		Arbitrary<List<String>> split = Arbitraries.of("{\"city\":\"Paris\"}", "{\"a\":[1,{\"b\":\"}\"}]}", "{}")
			.flatMap((whole) -> Arbitraries.integers().between(0, whole.length())
				.map((cut) -> List.of(whole.substring(0, cut), whole.substring(cut))));
		Arbitrary<List<String>> random = Arbitraries.strings().ofMaxLength(12).list().ofMaxSize(6);
		return Arbitraries.oneOf(split, random);
	}

	private static void expectObject(String what, String arguments) {
		try {
			JsonNode node = JSON.readTree(arguments);
			if (node == null || !node.isObject()) {
				throw new AssertionError(what + ": served arguments that are not a JSON object: " + arguments);
			}
		}
		catch (JacksonException ex) {
			throw new AssertionError(what + ": served arguments that are not JSON: " + arguments, ex);
		}
	}

	/** A whole answer of the format calling get_weather with the given arguments, as the format carries them. */
	private static String answer(WireFormat format, String arguments) {
		String asString = StringNode.valueOf(arguments).toString();
		String asValue = jsonOrString(arguments);
		return switch (format) {
			case OPENAI, AZURE_OPENAI -> """
					{"id": "c", "object": "chat.completion", "model": "m", "choices": [{"index": 0, "finish_reason": "tool_calls",
					 "message": {"role": "assistant", "content": null, "tool_calls": [{"id": "call_1", "type": "function",
					 "function": {"name": "get_weather", "arguments": %s}}]}}]}""".formatted(asString);
			case ANTHROPIC -> """
					{"id": "msg_1", "type": "message", "role": "assistant", "model": "m", "stop_reason": "tool_use",
					 "content": [{"type": "tool_use", "id": "toolu_1", "name": "get_weather", "input": %s}],
					 "usage": {"input_tokens": 1, "output_tokens": 1}}""".formatted(asValue);
			case GEMINI -> """
					{"candidates": [{"content": {"role": "model", "parts": [{"functionCall": {"name": "get_weather", "args": %s}}]},
					 "finishReason": "STOP"}]}""".formatted(asValue);
			case COHERE -> """
					{"id": "c", "finish_reason": "TOOL_CALL", "message": {"role": "assistant", "tool_calls": [{"id": "get_weather_1",
					 "type": "function", "function": {"name": "get_weather", "arguments": %s}}]}}""".formatted(asString);
			case OLLAMA -> """
					{"model": "m", "message": {"role": "assistant", "content": "", "tool_calls": [{"function":
					 {"name": "get_weather", "arguments": %s}}]}, "done_reason": "stop", "done": true}""".formatted(asValue);
		};
	}

	/** The text as a JSON value where it is one (formats that carry arguments as an object), else as a string. */
	private static String jsonOrString(String text) {
		try {
			JsonNode node = JSON.readTree(text);
			return (node != null && !node.isMissingNode()) ? node.toString() : StringNode.valueOf(text).toString();
		}
		catch (JacksonException ex) {
			return StringNode.valueOf(text).toString();
		}
	}

}
