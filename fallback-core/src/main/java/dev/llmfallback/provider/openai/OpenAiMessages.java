package dev.llmfallback.provider.openai;

import java.util.function.Consumer;
import java.util.function.Function;

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
import tools.jackson.databind.node.ObjectNode;

/**
 * The Chat Completions wire format (OpenAI, Azure OpenAI and compatible servers) and the domain,
 * both ways: the request body, the answer, the {@code chat.completion.chunk} events. Pure mapping,
 * no HTTP.
 */
final class OpenAiMessages implements ChatMapping {

	private static final SamplingFields SAMPLING = new SamplingFields("temperature", "max_tokens", "top_p", "stop");

	private final boolean includeModel;

	/**
	 * The mapping of one flavour of the format.
	 * @param includeModel whether the body names the model (Azure names the deployment in the URL)
	 */
	OpenAiMessages(boolean includeModel) {
		this.includeModel = includeModel;
	}

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
		if (this.includeModel) {
			body.put("model", request.model());
		}
		Json.putTextMessages(body, chat.messages(), Role::id);
		SAMPLING.write(chat, body);
		if (chat.user() != null) {
			body.put("user", chat.user());
		}
		if (stream) {
			body.putObject("stream_options").put("include_usage", true);
		}
		Json.streamAndExtra(body, chat, stream);
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
	@Override
	public ProviderResponse response(String provider, JsonNode answer) {
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

	@Override
	public StreamDecoder decoder(ProviderRequest request, String provider,
			Function<ProviderError, LlmException> errors) {
		return new ChunkDecoder(provider);
	}

	/** The text of a message or delta: a string, content parts, or nothing; any other type is malformed. */
	private static String contentText(JsonNode holder) {
		JsonNode content = holder.get("content");
		if (content != null && content.isArray()) {
			// Some compatible servers answer with content parts.
			return Json.joinText(Json.objects(holder, "content"), (part) -> true);
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

		private boolean text;

		ChunkDecoder(String provider) {
			super(provider);
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
					throw blocked("finish_reason content_filter with no content");
				}
			}
		}

		@Override
		public void onDoneMarker() {
			this.done = true;
		}

	}

}
