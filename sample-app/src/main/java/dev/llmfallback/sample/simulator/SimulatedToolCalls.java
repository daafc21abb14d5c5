package dev.llmfallback.sample.simulator;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * A simulated tool call in each wire format, whole and streamed (the arguments in two fragments),
 * as the providers' documentation shows them: OpenAI's {@code tool_calls} with finish reason
 * {@code tool_calls}, Anthropic's {@code tool_use} block with stop reason {@code tool_use}.
 */
final class SimulatedToolCalls {

	private static final JsonMapper json = JsonMapper.builder().build();

	private SimulatedToolCalls() {
	}

	static String openAiCompletion(String id, String model, String callId, SimulatedAnswers.Call call, int input) {
		ObjectNode body = json.createObjectNode().put("id", id).put("object", "chat.completion")
			.put("created", Instant.now().getEpochSecond()).put("model", model);
		ObjectNode choice = body.putArray("choices").addObject().put("index", 0);
		ObjectNode message = choice.putObject("message").put("role", "assistant").putNull("content");
		ObjectNode tool = message.putArray("tool_calls").addObject().put("id", callId).put("type", "function");
		tool.putObject("function").put("name", call.name()).put("arguments", call.arguments().toString());
		choice.put("finish_reason", "tool_calls");
		body.putObject("usage").put("prompt_tokens", input).put("completion_tokens", 10).put("total_tokens", input + 10);
		return body.toString();
	}

	static List<String> openAiEvents(String id, String model, String callId, SimulatedAnswers.Call call, int input) {
		String arguments = call.arguments().toString();
		int half = arguments.length() / 2;
		List<String> events = new ArrayList<>();
		ObjectNode first = json.createObjectNode().put("role", "assistant").putNull("content");
		ObjectNode tool = first.putArray("tool_calls").addObject().put("index", 0).put("id", callId).put("type", "function");
		tool.putObject("function").put("name", call.name()).put("arguments", "");
		events.add(openAiChunk(id, model, first, null));
		for (String fragment : new String[] { arguments.substring(0, half), arguments.substring(half) }) {
			ObjectNode delta = json.createObjectNode();
			delta.putArray("tool_calls").addObject().put("index", 0).putObject("function").put("arguments", fragment);
			events.add(openAiChunk(id, model, delta, null));
		}
		events.add(openAiChunk(id, model, json.createObjectNode(), "tool_calls"));
		ObjectNode usage = json.createObjectNode().put("id", id).put("object", "chat.completion.chunk")
			.put("created", Instant.now().getEpochSecond()).put("model", model);
		usage.putArray("choices");
		usage.putObject("usage").put("prompt_tokens", input).put("completion_tokens", 10).put("total_tokens", input + 10);
		events.add(ProviderSimulator.sse(null, usage.toString()));
		events.add("data: [DONE]\n\n");
		return events;
	}

	private static String openAiChunk(String id, String model, ObjectNode delta, @Nullable String finishReason) {
		ObjectNode chunk = json.createObjectNode().put("id", id).put("object", "chat.completion.chunk")
			.put("created", Instant.now().getEpochSecond()).put("model", model);
		ObjectNode choice = chunk.putArray("choices").addObject().put("index", 0);
		choice.set("delta", delta);
		choice.put("finish_reason", finishReason);
		return ProviderSimulator.sse(null, chunk.toString());
	}

	static String anthropicMessage(String id, String model, String callId, SimulatedAnswers.Call call, int input) {
		ObjectNode body = json.createObjectNode().put("id", id).put("type", "message").put("role", "assistant")
			.put("model", model);
		ObjectNode use = body.putArray("content").addObject().put("type", "tool_use").put("id", callId)
			.put("name", call.name());
		use.set("input", call.arguments());
		body.put("stop_reason", "tool_use").putNull("stop_sequence");
		body.putObject("usage").put("input_tokens", input).put("output_tokens", 10);
		return body.toString();
	}

	static List<String> anthropicEvents(String id, String model, String callId, SimulatedAnswers.Call call, int input) {
		String arguments = call.arguments().toString();
		int half = arguments.length() / 2;
		List<String> events = new ArrayList<>();
		ObjectNode start = json.createObjectNode().put("type", "message_start");
		ObjectNode message = start.putObject("message").put("id", id).put("type", "message").put("role", "assistant")
			.put("model", model);
		message.putArray("content");
		message.putNull("stop_reason").putNull("stop_sequence");
		message.putObject("usage").put("input_tokens", input).put("output_tokens", 1);
		events.add(ProviderSimulator.sse("message_start", start.toString()));
		ObjectNode blockStart = json.createObjectNode().put("type", "content_block_start").put("index", 0);
		blockStart.putObject("content_block").put("type", "tool_use").put("id", callId).put("name", call.name())
			.putObject("input");
		events.add(ProviderSimulator.sse("content_block_start", blockStart.toString()));
		for (String fragment : new String[] { arguments.substring(0, half), arguments.substring(half) }) {
			ObjectNode delta = json.createObjectNode().put("type", "content_block_delta").put("index", 0);
			delta.putObject("delta").put("type", "input_json_delta").put("partial_json", fragment);
			events.add(ProviderSimulator.sse("content_block_delta", delta.toString()));
		}
		events.add(ProviderSimulator.sse("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}"));
		ObjectNode end = json.createObjectNode().put("type", "message_delta");
		end.putObject("delta").put("stop_reason", "tool_use").putNull("stop_sequence");
		end.putObject("usage").put("output_tokens", 10);
		events.add(ProviderSimulator.sse("message_delta", end.toString()));
		events.add(ProviderSimulator.sse("message_stop", "{\"type\":\"message_stop\"}"));
		return events;
	}

}
