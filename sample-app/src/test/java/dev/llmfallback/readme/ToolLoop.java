package dev.llmfallback.readme;

import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

import dev.llmfallback.ChatMessage;
import dev.llmfallback.ChatRequest;
import dev.llmfallback.ChatResponse;
import dev.llmfallback.ChatService;
import dev.llmfallback.Tool;
import dev.llmfallback.ToolCall;

/** The README's tool loop, line for line. */
final class ToolLoop {

	/** The README's code lines, each of which {@link ReadmeExamplesTests} finds in the README. */
	static final String[] README_LINES = {
			"Tool weather = Tool.function(\"get_weather\", \"Current weather in a city\", Map.of(\"type\", \"object\",",
			"ChatRequest request = ChatRequest.builder().user(question).tool(weather).build();",
			"ChatResponse turn = chatService.chat(request).block();",
			"while (\"tool_calls\".equals(turn.finishReason())) {",
			"ChatRequest.Builder next = request.toBuilder().message(turn.message());",
			"next.message(ChatMessage.toolResult(call.id(), tools.apply(call.name(), call.arguments())));",
			"request = next.build();" };

	private ToolLoop() {
	}

	static ChatResponse ask(ChatService chatService, String question, BiFunction<String, String, String> tools) {
		Tool weather = Tool.function("get_weather", "Current weather in a city", Map.of("type", "object",
				"properties", Map.of("city", Map.of("type", "string")), "required", List.of("city")));
		ChatRequest request = ChatRequest.builder().user(question).tool(weather).build();
		ChatResponse turn = chatService.chat(request).block();
		while ("tool_calls".equals(turn.finishReason())) {
			ChatRequest.Builder next = request.toBuilder().message(turn.message());
			for (ToolCall call : turn.toolCalls()) {
				next.message(ChatMessage.toolResult(call.id(), tools.apply(call.name(), call.arguments())));
			}
			request = next.build();
			turn = chatService.chat(request).block();
		}
		return turn;
	}

}
