package dev.llmfallback.provider.ollama;

import java.util.Set;
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
 * Ollama's native chat wire format and the domain, both ways: the request body (sampling
 * parameters in {@code options}), the answer, the NDJSON lines up to {@code "done": true}. Pure
 * mapping, no HTTP.
 */
final class OllamaMessages implements ChatMapping {

	private static final SamplingFields SAMPLING = new SamplingFields("temperature", "num_predict", "top_p", "stop");

	/** Extra parameters that belong at the top level; every other one goes into options. */
	private static final Set<String> TOP_LEVEL = Set.of("format", "keep_alive", "tools", "think", "options");

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
		Json.putTextMessages(body, chat.messages(), Role::id);
		// Ollama streams unless told otherwise.
		body.put("stream", stream);
		ObjectNode options = Json.object();
		SAMPLING.write(chat, options);
		Json.splitExtras(chat.extra(), TOP_LEVEL, body, options);
		if (!options.isEmpty()) {
			if (body.get("options") instanceof ObjectNode given) {
				options.setAll(given);
			}
			body.set("options", options);
		}
		return body;
	}

	/**
	 * Maps a chat answer.
	 * @param provider the configured provider name, for failures
	 * @param answer the answer's JSON
	 * @return the response
	 * @throws dev.llmfallback.LlmException for an answer without a message
	 */
	@Override
	public ProviderResponse response(String provider, JsonNode answer) {
		JsonNode message = AnswerFailures.required(provider, answer, "message", JsonNodeType.OBJECT, "message");
		String content = Json.string(message, "content");
		return new ProviderResponse((content != null) ? content : "", FinishReasons.normalize(doneReason(answer)),
				Json.text(answer.get("model")), usage(answer));
	}

	@Override
	public StreamDecoder decoder(ProviderRequest request, String provider,
			Function<ProviderError, LlmException> errors) {
		return new LineDecoder(provider);
	}

	private static @Nullable String doneReason(JsonNode answer) {
		String reason = Json.text(answer.get("done_reason"));
		return (reason == null && answer.path("done").asBoolean(false)) ? "stop" : reason;
	}

	private static @Nullable Usage usage(JsonNode answer) {
		long input = Json.count(answer.get("prompt_eval_count"));
		long output = Json.count(answer.get("eval_count"));
		return Json.usage(input, output);
	}

	/** Decodes NDJSON lines up to the one with {@code "done": true}, which carries reason and counts. */
	static final class LineDecoder extends AbstractStreamDecoder {

		LineDecoder(String provider) {
			super(provider);
		}

		@Override
		public void onEvent(@Nullable String event, JsonNode data, Consumer<ProviderChunk> emit) {
			String piece = Json.string(Json.object(data, "message"), "content");
			if (piece != null && !piece.isEmpty()) {
				emit.accept(ProviderChunk.text(piece));
			}
			if (data.path("done").asBoolean(false)) {
				this.finishReason = doneReason(data);
				this.model = Json.text(data.get("model"));
				this.usage = usage(data);
				this.done = true;
			}
		}

	}

}
