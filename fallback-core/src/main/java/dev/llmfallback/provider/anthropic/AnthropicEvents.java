package dev.llmfallback.provider.anthropic;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import dev.llmfallback.ToolCall;
import dev.llmfallback.provider.ProviderChunk;
import dev.llmfallback.provider.http.AbstractStreamDecoder;
import dev.llmfallback.provider.http.AnswerFailures;
import dev.llmfallback.provider.http.Json;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * Decodes the Messages streaming events up to {@code message_stop}. A {@code tool_use} block's
 * start is a tool call's first delta (id, name), its {@code input_json_delta} fragments the
 * arguments; calls are numbered among the answer's tool calls, not by content-block index. The
 * answer tool's fragments (see {@link AnthropicTools}) are text deltas instead.
 */
final class AnthropicEvents extends AbstractStreamDecoder {

	private final @Nullable String answerTool;

	/** Content-block index to tool-call index, or {@link #ANSWER} for the answer tool's block. */
	private final Map<Integer, Integer> calls = new HashMap<>();

	private static final int ANSWER = -1;

	private int toolCalls;

	private boolean text;

	private long inputTokens = -1;

	AnthropicEvents(String provider, @Nullable String answerTool) {
		super(provider);
		this.answerTool = answerTool;
	}

	@Override
	public void onEvent(@Nullable String event, JsonNode data, Consumer<ProviderChunk> emit) {
		String type = Json.text(data.get("type"));
		if (type == null) {
			type = event;
		}
		if (type == null) {
			return;
		}
		switch (type) {
			case "message_start" -> {
				JsonNode message = data.path("message");
				this.model = Json.text(message.get("model"));
				JsonNode usage = message.get("usage");
				if (usage != null && usage.isObject()) {
					this.inputTokens = AnthropicMessages.inputTokens(usage);
					this.usage = AnthropicMessages.usage(usage, -1);
				}
			}
			case "content_block_start" -> start(data, emit);
			case "content_block_delta" -> delta(data, emit);
			case "message_delta" -> {
				String reason = Json.text(data.path("delta").get("stop_reason"));
				if (reason != null) {
					this.finishReason = reason;
				}
				// message_delta's output_tokens are cumulative; input comes from message_start.
				keepUsage(AnthropicMessages.usage(data.get("usage"), this.inputTokens));
			}
			case "message_stop" -> this.done = true;
			default -> {
				// ping, content_block_stop and future event types.
			}
		}
	}

	private void start(JsonNode data, Consumer<ProviderChunk> emit) {
		JsonNode block = Json.object(data, "content_block");
		if (!"tool_use".equals(Json.text(block.get("type")))) {
			return;
		}
		String id = Json.string(block, "id");
		String name = Json.string(block, "name");
		if (id == null || name == null) {
			throw AnswerFailures.invalid(this.provider, "a streamed tool_use block needs an id and a name");
		}
		int index = (int) Json.count(data.get("index"));
		if (name.equals(this.answerTool) && !this.calls.containsValue(ANSWER)) {
			this.calls.put(index, ANSWER);
			return;
		}
		int call = this.toolCalls++;
		this.calls.put(index, call);
		emit.accept(ProviderChunk.toolCalls(List.of(new ToolCall.Delta(call, id, name, ""))));
	}

	private void delta(JsonNode data, Consumer<ProviderChunk> emit) {
		JsonNode delta = Json.object(data, "delta");
		String kind = Json.text(delta.get("type"));
		if ("text_delta".equals(kind)) {
			text(Json.string(delta, "text"), emit);
		}
		else if ("input_json_delta".equals(kind)) {
			Integer call = this.calls.get((int) Json.count(data.get("index")));
			String fragment = Json.string(delta, "partial_json");
			if (call == null || fragment == null || fragment.isEmpty()) {
				return;
			}
			if (call == ANSWER) {
				text(fragment, emit);
			}
			else {
				emit.accept(ProviderChunk.toolCalls(List.of(new ToolCall.Delta(call, null, null, fragment))));
			}
		}
	}

	private void text(@Nullable String piece, Consumer<ProviderChunk> emit) {
		if (piece != null && !piece.isEmpty()) {
			this.text = true;
			emit.accept(ProviderChunk.text(piece));
		}
	}

	@Override
	public @Nullable ProviderChunk finish() {
		AnswerFailures.checkRefusal(this.provider, this.text || this.toolCalls > 0, "stop_reason",
				this.finishReason, "refusal");
		if (this.calls.containsValue(ANSWER) && this.toolCalls == 0 && "tool_use".equals(this.finishReason)) {
			// The answer tool's call is the answer's text, not a call of the caller's.
			this.finishReason = "end_turn";
		}
		return super.finish();
	}

}
