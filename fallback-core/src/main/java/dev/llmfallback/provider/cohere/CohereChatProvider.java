package dev.llmfallback.provider.cohere;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import dev.llmfallback.ChatMessage;
import dev.llmfallback.ChatRequest;
import dev.llmfallback.ErrorCategory;
import dev.llmfallback.Role;
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
import dev.llmfallback.provider.http.ProviderError;
import dev.llmfallback.provider.http.StreamDecoder;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.web.reactive.function.client.WebClient;

/**
 * Adapter for Cohere's v2 Chat API: {@code POST {base-url}/v2/chat} with a bearer key. Streams are
 * Server-Sent Events ({@code message-start}, {@code content-start}, {@code content-delta},
 * {@code content-end}, {@code message-end}); {@code message-end} carries the finish reason and
 * usage. Cohere's answers do not name the model.
 */
public class CohereChatProvider extends HttpChatProvider {

	/** Parsed once: the same for every request. */
	private final URI endpoint = URI.create(baseUrl() + "/v2/chat");

	private static final SamplingFields SAMPLING = new SamplingFields("temperature", "max_tokens", "p", "stop_sequences");

	/** Cohere's base URL. */
	public static final String DEFAULT_BASE_URL = "https://api.cohere.com";

	public CohereChatProvider(ProviderSettings settings, WebClient.Builder webClientBuilder, ClassificationRules rules) {
		super(settings, webClientBuilder, rules);
	}

	/**
	 * Cohere's own statuses (https://docs.cohere.com/reference/errors): 498 is a request or answer
	 * blocked by its safety system; 499 a request cancelled on Cohere's side, which may be retried.
	 */
	@Override
	protected Map<Integer, ErrorCategory> providerStatuses() {
		return Map.of(498, ErrorCategory.CONTENT_POLICY, 499, ErrorCategory.SERVER_ERROR);
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
	protected ObjectNode body(ProviderRequest request, boolean stream) {
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
		putExtra(body, request);
		return body;
	}

	@Override
	protected ProviderResponse response(JsonNode answer) {
		JsonNode message = answer.get("message");
		if (message == null || !message.isObject()) {
			throw invalid("the answer has no message");
		}
		String text = text(message);
		String finishReason = Json.text(answer.get("finish_reason"));
		if ("ERROR_TOXIC".equals(finishReason) && text.isEmpty()) {
			throw contentBlocked("finish_reason ERROR_TOXIC");
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

	private static Usage usage(JsonNode usage) {
		if (usage == null || !usage.isObject()) {
			return null;
		}
		// "tokens" counts what the model saw; "billed_units" what was billed. Prefer the former.
		JsonNode counts = usage.path("tokens").isObject() ? usage.get("tokens") : usage.path("billed_units");
		long input = Json.count(counts.get("input_tokens"));
		long output = Json.count(counts.get("output_tokens"));
		return Json.usage(input, output);
	}

	@Override
	protected StreamDecoder streamDecoder(ProviderRequest request) {
		return new EventDecoder();
	}

	/** Decodes the v2 streaming events up to {@code message-end}. */
	private final class EventDecoder implements StreamDecoder {

		private boolean done;

		private String finishReason;

		private Usage usage;

		@Override
		public void onEvent(String event, JsonNode data, Consumer<ProviderChunk> emit) {
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
					throw error(new ProviderError(null, error, codes, null, true));
				}
				this.usage = usage(delta.get("usage"));
				this.done = true;
			}
		}

		@Override
		public boolean isComplete() {
			return this.done;
		}

		@Override
		public ProviderChunk finish() {
			return new ProviderChunk("", FinishReasons.normalize(this.finishReason), null, this.usage);
		}

	}

}
