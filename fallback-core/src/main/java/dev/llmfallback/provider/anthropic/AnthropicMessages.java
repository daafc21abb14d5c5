package dev.llmfallback.provider.anthropic;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;

import dev.llmfallback.ChatMessage;
import dev.llmfallback.ChatRequest;
import dev.llmfallback.LlmException;
import dev.llmfallback.Role;
import dev.llmfallback.Usage;
import dev.llmfallback.provider.ProviderChunk;
import dev.llmfallback.provider.ProviderRequest;
import dev.llmfallback.provider.ProviderResponse;
import dev.llmfallback.provider.http.AbstractStreamDecoder;
import dev.llmfallback.provider.http.AnswerFailures;
import dev.llmfallback.provider.http.ChatMapping;
import dev.llmfallback.provider.http.FinishReasons;
import dev.llmfallback.provider.http.Json;
import dev.llmfallback.provider.http.ProviderError;
import dev.llmfallback.provider.http.SamplingFields;
import dev.llmfallback.provider.http.StreamDecoder;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeType;
import tools.jackson.databind.node.ObjectNode;

/**
 * Anthropic's Messages wire format and the domain, both ways: the request body (system messages
 * as the top-level {@code system}, {@code max_tokens} always set), the answer, the streaming
 * events. Pure mapping, no HTTP.
 */
final class AnthropicMessages implements ChatMapping {

	private static final SamplingFields SAMPLING = new SamplingFields("temperature", null, "top_p", "stop_sequences");

	/**
	 * The request body.
	 * @param request the call
	 * @param stream whether the answer is streamed
	 * @return the body
	 */
	@Override
	public ObjectNode body(ProviderRequest request, boolean stream) {
		ChatRequest chat = request.request();
		ObjectNode body = Json.object();
		body.put("model", request.model());
		body.put("max_tokens", (chat.maxTokens() != null) ? chat.maxTokens() : AnthropicChatProvider.DEFAULT_MAX_TOKENS);
		List<String> system = new ArrayList<>();
		ArrayNode messages = Json.MAPPER.createArrayNode();
		for (ChatMessage message : chat.messages()) {
			if (message.role() == Role.SYSTEM) {
				system.add(message.content());
			}
			else {
				// Anthropic has only user and assistant turns; a tool result without a call id is user text.
				String role = (message.role() == Role.ASSISTANT) ? "assistant" : "user";
				messages.addObject().put("role", role).put("content", message.content());
			}
		}
		if (!system.isEmpty()) {
			body.put("system", String.join("\n\n", system));
		}
		body.set("messages", messages);
		SAMPLING.write(chat, body);
		if (chat.user() != null) {
			body.putObject("metadata").put("user_id", chat.user());
		}
		return Json.streamAndExtra(body, chat, stream);
	}

	/**
	 * Maps a {@code message} answer.
	 * @param provider the configured provider name, for failures
	 * @param answer the answer's JSON
	 * @return the response
	 * @throws dev.llmfallback.LlmException for no content array, or a refusal without text
	 */
	@Override
	public ProviderResponse response(String provider, JsonNode answer) {
		AnswerFailures.required(provider, answer, "content", JsonNodeType.ARRAY, "content array");
		String text = Json.joinText(Json.objects(answer, "content"), (block) -> "text".equals(Json.text(block.get("type"))));
		String stopReason = Json.text(answer.get("stop_reason"));
		AnswerFailures.checkRefusal(provider, !text.isEmpty(), "stop_reason", stopReason, "refusal");
		return new ProviderResponse(text, FinishReasons.normalize(stopReason), Json.text(answer.get("model")),
				usage(answer.get("usage"), -1));
	}

	@Override
	public StreamDecoder decoder(ProviderRequest request, String provider,
			Function<ProviderError, LlmException> errors) {
		return new EventDecoder(provider);
	}

	private static long inputTokens(JsonNode usage) {
		long input = Json.count(usage.get("input_tokens"));
		if (input < 0) {
			return -1;
		}
		// Cached prompt tokens are prompt tokens too.
		return input + Math.max(0, Json.count(usage.get("cache_creation_input_tokens")))
				+ Math.max(0, Json.count(usage.get("cache_read_input_tokens")));
	}

	private static @Nullable Usage usage(@Nullable JsonNode usage, long knownInput) {
		if (usage == null || !usage.isObject()) {
			return (knownInput >= 0) ? Usage.of(knownInput, 0) : null;
		}
		long input = inputTokens(usage);
		if (input < 0) {
			input = knownInput;
		}
		long output = Json.count(usage.get("output_tokens"));
		return Json.usage(input, output);
	}

	/** Decodes the Messages streaming events up to {@code message_stop}. */
	static final class EventDecoder extends AbstractStreamDecoder {

		private boolean text;

		private long inputTokens = -1;

		EventDecoder(String provider) {
			super(provider);
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
						this.inputTokens = inputTokens(usage);
						this.usage = usage(usage, -1);
					}
				}
				case "content_block_delta" -> {
					JsonNode delta = Json.object(data, "delta");
					if ("text_delta".equals(Json.text(delta.get("type")))) {
						String piece = Json.string(delta, "text");
						if (piece != null && !piece.isEmpty()) {
							this.text = true;
							emit.accept(ProviderChunk.text(piece));
						}
					}
				}
				case "message_delta" -> {
					String reason = Json.text(data.path("delta").get("stop_reason"));
					if (reason != null) {
						this.finishReason = reason;
					}
					// message_delta's output_tokens are cumulative; input comes from message_start.
					keepUsage(usage(data.get("usage"), this.inputTokens));
				}
				case "message_stop" -> this.done = true;
				default -> {
					// ping, content_block_start, content_block_stop and future event types.
				}
			}
		}

		@Override
		public @Nullable ProviderChunk finish() {
			AnswerFailures.checkRefusal(this.provider, this.text, "stop_reason", this.finishReason, "refusal");
			return super.finish();
		}

	}

}
