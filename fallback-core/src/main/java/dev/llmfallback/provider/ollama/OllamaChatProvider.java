package dev.llmfallback.provider.ollama;

import java.net.URI;
import java.util.Set;
import java.util.function.Consumer;

import dev.llmfallback.ChatMessage;
import dev.llmfallback.ChatRequest;
import dev.llmfallback.Usage;
import dev.llmfallback.provider.ClassificationRules;
import dev.llmfallback.provider.ProviderChunk;
import dev.llmfallback.provider.ProviderRequest;
import dev.llmfallback.provider.ProviderResponse;
import dev.llmfallback.provider.ProviderSettings;
import dev.llmfallback.provider.http.FinishReasons;
import dev.llmfallback.provider.http.HttpChatProvider;
import dev.llmfallback.provider.http.SamplingFields;
import dev.llmfallback.provider.http.Json;
import dev.llmfallback.provider.http.StreamDecoder;
import dev.llmfallback.provider.http.StreamFraming;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.web.reactive.function.client.WebClient;

/**
 * Adapter for Ollama's native API: {@code POST {base-url}/api/chat}; streams are newline-delimited
 * JSON ending with a {@code "done": true} object that carries the finish reason and token counts.
 * Sampling parameters go into {@code options}. No key is needed; one that is configured is sent as
 * a bearer token (for Ollama behind an authenticating proxy).
 */
public class OllamaChatProvider extends HttpChatProvider {

	/** Parsed once: the same for every request. */
	private final URI endpoint = URI.create(baseUrl() + "/api/chat");

	private static final SamplingFields SAMPLING = new SamplingFields("temperature", "num_predict", "top_p", "stop");

	/** Ollama's local base URL. */
	public static final String DEFAULT_BASE_URL = "http://localhost:11434";

	/** Extra parameters that belong at the top level; every other one goes into options. */
	private static final Set<String> TOP_LEVEL = Set.of("format", "keep_alive", "tools", "think", "options");

	public OllamaChatProvider(ProviderSettings settings, WebClient.Builder webClientBuilder, ClassificationRules rules) {
		super(settings, webClientBuilder, rules);
	}

	@Override
	protected String defaultBaseUrl() {
		return DEFAULT_BASE_URL;
	}

	@Override
	protected URI uri(ProviderRequest request, boolean stream) {
		return this.endpoint;
	}

	@Override
	protected StreamFraming framing() {
		return StreamFraming.NDJSON;
	}

	@Override
	protected ObjectNode body(ProviderRequest request, boolean stream) {
		ChatRequest chat = request.request();
		ObjectNode body = Json.object();
		body.put("model", request.model());
		ArrayNode messages = body.putArray("messages");
		for (ChatMessage message : chat.messages()) {
			messages.addObject().put("role", message.role().id()).put("content", message.content());
		}
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

	@Override
	protected ProviderResponse response(JsonNode answer) {
		JsonNode message = answer.get("message");
		if (message == null || !message.isObject()) {
			throw invalid("the answer has no message");
		}
		String content = Json.string(message, "content");
		return new ProviderResponse((content != null) ? content : "", FinishReasons.normalize(doneReason(answer)),
				Json.text(answer.get("model")), usage(answer));
	}

	private static String doneReason(JsonNode answer) {
		String reason = Json.text(answer.get("done_reason"));
		return (reason == null && answer.path("done").asBoolean(false)) ? "stop" : reason;
	}

	private static Usage usage(JsonNode answer) {
		long input = Json.count(answer.get("prompt_eval_count"));
		long output = Json.count(answer.get("eval_count"));
		return Json.usage(input, output);
	}

	@Override
	protected StreamDecoder streamDecoder(ProviderRequest request) {
		return new LineDecoder();
	}

	/** Decodes NDJSON lines up to the one with {@code "done": true}. */
	private static final class LineDecoder implements StreamDecoder {

		private JsonNode last;

		@Override
		public void onEvent(String event, JsonNode data, Consumer<ProviderChunk> emit) {
			String piece = Json.string(Json.object(data, "message"), "content");
			if (piece != null && !piece.isEmpty()) {
				emit.accept(ProviderChunk.text(piece));
			}
			if (data.path("done").asBoolean(false)) {
				this.last = data;
			}
		}

		@Override
		public boolean isComplete() {
			return this.last != null;
		}

		@Override
		public ProviderChunk finish() {
			return new ProviderChunk("", FinishReasons.normalize(doneReason(this.last)), Json.text(this.last.get("model")),
					usage(this.last));
		}

	}

}
