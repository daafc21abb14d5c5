package dev.llmfallback.provider.cohere;

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
import dev.llmfallback.provider.http.FinishReasons;
import dev.llmfallback.provider.http.Json;
import dev.llmfallback.provider.http.ProviderError;
import dev.llmfallback.provider.http.SamplingFields;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Cohere's v2 Chat wire format and the domain, both ways: the request body, the answer, the
 * streaming events ({@code content-delta}, {@code message-end} with finish reason, usage or an
 * error). Pure mapping, no HTTP. Cohere's answers do not name the model.
 */
final class CohereMessages {

	private static final SamplingFields SAMPLING = new SamplingFields("temperature", "max_tokens", "p", "stop_sequences");

	private CohereMessages() {
	}

	/**
	 * The request body.
	 * @param request the call
	 * @param stream whether the answer is streamed
	 * @return the body
	 */
	static ObjectNode body(ProviderRequest request, boolean stream) {
		ChatRequest chat = request.request();
		ObjectNode body = Json.object();
		body.put("model", request.model());
		ArrayNode messages = body.putArray("messages");
		for (ChatMessage message : chat.messages()) {
			// v2 tool messages need a tool_call_id the domain does not carry: send them as user text.
			String role = (message.role() == Role.TOOL) ? "user" : message.role().id();
			messages.addObject().put("role", role).put("content", message.content());
		}
		SAMPLING.write(chat, body);
		if (stream) {
			body.put("stream", true);
		}
		Json.putExtra(body, chat.extra());
		return body;
	}

	/**
	 * Maps a chat answer.
	 * @param provider the configured provider name, for failures
	 * @param answer the answer's JSON
	 * @return the response
	 * @throws LlmException for no message, or a toxic ending without text
	 */
	static ProviderResponse response(String provider, JsonNode answer) {
		JsonNode message = answer.get("message");
		if (message == null || !message.isObject()) {
			throw AnswerFailures.invalid(provider, "the answer has no message");
		}
		String text = text(message);
		String finishReason = Json.text(answer.get("finish_reason"));
		if ("ERROR_TOXIC".equals(finishReason) && text.isEmpty()) {
			throw AnswerFailures.contentBlocked(provider, "finish_reason ERROR_TOXIC");
		}
		return new ProviderResponse(text, FinishReasons.normalize(finishReason), null, usage(answer.get("usage")));
	}

	/** The text of a message: a string or content parts; any other type is malformed. */
	private static String text(JsonNode message) {
		JsonNode content = message.get("content");
		if (content == null || !content.isArray()) {
			String text = Json.string(message, "content");
			return (text != null) ? text : "";
		}
		StringBuilder text = new StringBuilder();
		for (JsonNode part : Json.objects(message, "content")) {
			if ("text".equals(Json.text(part.get("type")))) {
				String piece = Json.string(part, "text");
				text.append((piece != null) ? piece : "");
			}
		}
		return text.toString();
	}

	private static @Nullable Usage usage(@Nullable JsonNode usage) {
		if (usage == null || !usage.isObject()) {
			return null;
		}
		// "tokens" counts what the model saw; "billed_units" what was billed. Prefer the former.
		JsonNode counts = usage.path("tokens").isObject() ? usage.get("tokens") : usage.path("billed_units");
		long input = Json.count(counts.get("input_tokens"));
		long output = Json.count(counts.get("output_tokens"));
		return Json.usage(input, output);
	}

	/** Decodes the v2 streaming events up to {@code message-end}. */
	static final class EventDecoder extends AbstractStreamDecoder {

		private final Function<ProviderError, LlmException> classifier;

		/**
		 * A decoder for one stream.
		 * @param classifier classifies an error that {@code message-end} carries
		 */
		EventDecoder(Function<ProviderError, LlmException> classifier) {
			this.classifier = classifier;
		}

		@Override
		public void onEvent(@Nullable String event, JsonNode data, Consumer<ProviderChunk> emit) {
			String type = Json.text(data.get("type"));
			if (type == null) {
				type = event;
			}
			if ("content-delta".equals(type)) {
				String piece = Json.string(Json.object(Json.object(Json.object(data, "delta"), "message"), "content"), "text");
				if (piece != null && !piece.isEmpty()) {
					emit.accept(ProviderChunk.text(piece));
				}
			}
			else if ("message-end".equals(type)) {
				JsonNode delta = data.path("delta");
				this.finishReason = Json.text(delta.get("finish_reason"));
				String error = Json.text(delta.get("error"));
				if (error != null && !error.isBlank()) {
					// A generation that failed after the 200 ends with its error in message-end.
					List<String> codes = (this.finishReason != null) ? List.of(this.finishReason) : List.of();
					throw this.classifier.apply(new ProviderError(null, error, codes, null, true));
				}
				this.usage = usage(delta.get("usage"));
				this.done = true;
			}
		}

	}

}
