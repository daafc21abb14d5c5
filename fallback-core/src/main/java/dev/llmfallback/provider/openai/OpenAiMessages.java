package dev.llmfallback.provider.openai;

import java.util.function.Consumer;

import dev.llmfallback.ChatMessage;
import dev.llmfallback.ChatRequest;
import dev.llmfallback.Usage;
import dev.llmfallback.provider.ProviderChunk;
import dev.llmfallback.provider.ProviderRequest;
import dev.llmfallback.provider.ProviderResponse;
import dev.llmfallback.provider.http.AbstractStreamDecoder;
import dev.llmfallback.provider.http.AnswerFailures;
import dev.llmfallback.provider.http.FinishReasons;
import dev.llmfallback.provider.http.Json;
import dev.llmfallback.provider.http.SamplingFields;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The Chat Completions wire format (OpenAI, Azure OpenAI and compatible servers) and the domain,
 * both ways: the request body, the answer, the {@code chat.completion.chunk} events. Pure mapping,
 * no HTTP.
 */
final class OpenAiMessages {

	private static final SamplingFields SAMPLING = new SamplingFields("temperature", "max_tokens", "top_p", "stop");

	private OpenAiMessages() {
	}

	/**
	 * The request body.
	 * @param request the call
	 * @param stream whether the answer is streamed
	 * @param includeModel whether the body names the model (Azure names the deployment in the URL)
	 * @return the body
	 */
	static ObjectNode body(ProviderRequest request, boolean stream, boolean includeModel) {
		ChatRequest chat = request.request();
		ObjectNode body = Json.object();
		if (includeModel) {
			body.put("model", request.model());
		}
		ArrayNode messages = body.putArray("messages");
		for (ChatMessage message : chat.messages()) {
			messages.addObject().put("role", message.role().id()).put("content", message.content());
		}
		SAMPLING.write(chat, body);
		if (chat.user() != null) {
			body.put("user", chat.user());
		}
		if (stream) {
			body.put("stream", true);
			body.putObject("stream_options").put("include_usage", true);
		}
		Json.putExtra(body, chat.extra());
		if (body.has("max_completion_tokens")) {
			// Newer OpenAI models refuse max_tokens next to max_completion_tokens.
			body.remove("max_tokens");
		}
		return body;
	}

	/**
	 * Maps a {@code chat.completion}.
	 * @param provider the configured provider name, for failures
	 * @param answer the answer's JSON
	 * @return the response
	 * @throws dev.llmfallback.LlmException for no choices, or a refusal without content
	 */
	static ProviderResponse response(String provider, JsonNode answer) {
		JsonNode choices = answer.path("choices");
		if (!choices.isArray() || choices.isEmpty()) {
			throw AnswerFailures.invalid(provider, "the answer has no choices");
		}
		JsonNode choice = Json.objects(answer, "choices").get(0);
		JsonNode message = Json.object(choice, "message");
		String content = contentText(message);
		String finishReason = FinishReasons.normalize(Json.text(choice.get("finish_reason")));
		if ("content_filter".equals(finishReason) && content.isEmpty()) {
			throw AnswerFailures.contentBlocked(provider, "finish_reason content_filter with no content");
		}
		if (content.isEmpty() && Json.text(message.get("refusal")) != null) {
			throw AnswerFailures.contentBlocked(provider, "refusal: " + Json.text(message.get("refusal")));
		}
		return new ProviderResponse(content, finishReason, Json.text(answer.get("model")), usage(answer.get("usage")));
	}

	/** The text of a message or delta: a string, content parts, or nothing; any other type is malformed. */
	private static String contentText(JsonNode holder) {
		JsonNode content = holder.get("content");
		if (content != null && content.isArray()) {
			// Some compatible servers answer with content parts.
			StringBuilder text = new StringBuilder();
			for (JsonNode part : Json.objects(holder, "content")) {
				String piece = Json.string(part, "text");
				if (piece != null) {
					text.append(piece);
				}
			}
			return text.toString();
		}
		String text = Json.string(holder, "content");
		return (text != null) ? text : "";
	}

	static @Nullable Usage usage(@Nullable JsonNode usage) {
		if (usage == null || !usage.isObject()) {
			return null;
		}
		long input = Json.count(usage.get("prompt_tokens"));
		long output = Json.count(usage.get("completion_tokens"));
		long total = Json.count(usage.get("total_tokens"));
		if (input < 0 && output < 0) {
			return null;
		}
		input = Math.max(input, 0);
		output = Math.max(output, 0);
		return new Usage(input, output, (total >= 0) ? total : input + output);
	}

	/** Decodes {@code chat.completion.chunk} events up to {@code [DONE]}. */
	static final class ChunkDecoder extends AbstractStreamDecoder {

		private final String provider;

		private boolean text;

		ChunkDecoder(String provider) {
			this.provider = provider;
		}

		@Override
		public void onEvent(@Nullable String event, JsonNode data, Consumer<ProviderChunk> emit) {
			keepModel(Json.text(data.get("model")));
			keepUsage(usage(data.get("usage")));
			JsonNode choices = data.path("choices");
			if (!choices.isArray() || choices.isEmpty()) {
				// Usage-only chunk, or Azure's prompt_filter_results chunk.
				return;
			}
			JsonNode choice = Json.objects(data, "choices").get(0);
			String delta = contentText(Json.object(choice, "delta"));
			if (!delta.isEmpty()) {
				this.text = true;
				emit.accept(ProviderChunk.text(delta));
			}
			String reason = FinishReasons.normalize(Json.text(choice.get("finish_reason")));
			if (reason != null) {
				this.finishReason = reason;
				if ("content_filter".equals(reason) && !this.text) {
					throw AnswerFailures.contentBlocked(this.provider, "finish_reason content_filter with no content");
				}
			}
		}

		@Override
		public void onDoneMarker() {
			this.done = true;
		}

	}

}
