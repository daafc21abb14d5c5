package dev.llmfallback.provider.cohere;

import java.util.List;
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
import tools.jackson.databind.node.JsonNodeType;
import tools.jackson.databind.node.ObjectNode;

/**
 * Cohere's v2 Chat wire format and the domain, both ways: the request body, the answer, the
 * streaming events ({@code content-delta}, {@code message-end} with finish reason, usage or an
 * error). Pure mapping, no HTTP. Cohere's answers do not name the model.
 */
final class CohereMessages implements ChatMapping {

	private static final SamplingFields SAMPLING = new SamplingFields("temperature", "max_tokens", "p", "stop_sequences");

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
		// v2 tool messages need a tool_call_id the domain does not carry: send them as user text.
		Json.putTextMessages(body, chat.messages(), (role) -> (role == Role.TOOL) ? "user" : role.id());
		SAMPLING.write(chat, body);
		return Json.streamAndExtra(body, chat, stream);
	}

	/**
	 * Maps a chat answer.
	 * @param provider the configured provider name, for failures
	 * @param answer the answer's JSON
	 * @return the response
	 * @throws LlmException for no message, or a toxic ending without text
	 */
	@Override
	public ProviderResponse response(String provider, JsonNode answer) {
		JsonNode message = AnswerFailures.required(provider, answer, "message", JsonNodeType.OBJECT, "message");
		String text = text(message);
		String finishReason = Json.text(answer.get("finish_reason"));
		AnswerFailures.checkRefusal(provider, !text.isEmpty(), "finish_reason", finishReason, "ERROR_TOXIC");
		return new ProviderResponse(text, FinishReasons.normalize(finishReason), null, usage(answer.get("usage")));
	}

	@Override
	public StreamDecoder decoder(ProviderRequest request, String provider,
			Function<ProviderError, LlmException> errors) {
		return new EventDecoder(provider, errors);
	}

	/** The text of a message: a string or content parts; any other type is malformed. */
	private static String text(JsonNode message) {
		JsonNode content = message.get("content");
		if (content == null || !content.isArray()) {
			String text = Json.string(message, "content");
			return (text != null) ? text : "";
		}
		return Json.joinText(Json.objects(message, "content"), (part) -> "text".equals(Json.text(part.get("type"))));
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
		 * @param provider the configured provider name
		 * @param classifier classifies an error that {@code message-end} carries
		 */
		EventDecoder(String provider, Function<ProviderError, LlmException> classifier) {
			super(provider);
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
