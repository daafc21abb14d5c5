package dev.llmfallback.provider.anthropic;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import dev.llmfallback.ChatMessage;
import dev.llmfallback.ChatRequest;
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
import dev.llmfallback.provider.http.StreamDecoder;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.http.HttpHeaders;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Adapter for Anthropic's Messages API: {@code POST {base-url}/v1/messages} with {@code x-api-key}
 * and {@code anthropic-version: 2023-06-01}. System messages become the top-level {@code system}
 * field; {@code max_tokens}, which the API requires, defaults to {@value #DEFAULT_MAX_TOKENS}.
 * Streams are Server-Sent Events ({@code message_start}, {@code content_block_delta},
 * {@code message_delta}, {@code message_stop}, {@code ping}, {@code error}).
 */
public class AnthropicChatProvider extends HttpChatProvider {

	/** Parsed once: the same for every request. */
	private final URI endpoint = URI.create(baseUrl() + "/v1/messages");

	private static final SamplingFields SAMPLING = new SamplingFields("temperature", null, "top_p", "stop_sequences");

	/** Anthropic's base URL. */
	public static final String DEFAULT_BASE_URL = "https://api.anthropic.com";

	/** The API version this adapter speaks. */
	public static final String API_VERSION = "2023-06-01";

	/** {@code max_tokens} when the request sets none (the API requires one). */
	public static final int DEFAULT_MAX_TOKENS = 4096;

	public AnthropicChatProvider(ProviderSettings settings, WebClient.Builder webClientBuilder,
			ClassificationRules rules) {
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
	protected void authenticate(HttpHeaders headers, String apiKey) {
		headers.set("x-api-key", apiKey);
	}

	@Override
	protected void addHeaders(HttpHeaders headers) {
		headers.set("anthropic-version", API_VERSION);
	}

	@Override
	protected ObjectNode body(ProviderRequest request, boolean stream) {
		ChatRequest chat = request.request();
		ObjectNode body = Json.object();
		body.put("model", request.model());
		body.put("max_tokens", (chat.maxTokens() != null) ? chat.maxTokens() : DEFAULT_MAX_TOKENS);
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
		if (stream) {
			body.put("stream", true);
		}
		putExtra(body, request);
		return body;
	}

	@Override
	protected ProviderResponse response(JsonNode answer) {
		JsonNode content = answer.get("content");
		if (content == null || !content.isArray()) {
			throw invalid("the answer has no content array");
		}
		StringBuilder text = new StringBuilder();
		for (JsonNode block : Json.objects(answer, "content")) {
			if ("text".equals(Json.text(block.get("type")))) {
				String piece = Json.string(block, "text");
				text.append((piece != null) ? piece : "");
			}
		}
		String stopReason = Json.text(answer.get("stop_reason"));
		if ("refusal".equals(stopReason) && text.isEmpty()) {
			throw contentBlocked("stop_reason refusal");
		}
		return new ProviderResponse(text.toString(), FinishReasons.normalize(stopReason), Json.text(answer.get("model")),
				usage(answer.get("usage"), -1));
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

	private static Usage usage(JsonNode usage, long knownInput) {
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

	@Override
	protected StreamDecoder streamDecoder(ProviderRequest request) {
		return new EventDecoder();
	}

	/** Decodes the Messages streaming events up to {@code message_stop}. */
	private final class EventDecoder implements StreamDecoder {

		private boolean done;

		private boolean text;

		private String model;

		private long inputTokens = -1;

		private Usage usage;

		private String stopReason;

		@Override
		public void onEvent(String event, JsonNode data, Consumer<ProviderChunk> emit) {
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
						this.stopReason = reason;
					}
					// message_delta's output_tokens are cumulative; input comes from message_start.
					Usage usage = usage(data.get("usage"), this.inputTokens);
					if (usage != null) {
						this.usage = usage;
					}
				}
				case "message_stop" -> this.done = true;
				default -> {
					// ping, content_block_start, content_block_stop and future event types.
				}
			}
		}

		@Override
		public boolean isComplete() {
			return this.done;
		}

		@Override
		public ProviderChunk finish() {
			if ("refusal".equals(this.stopReason) && !this.text) {
				throw contentBlocked("stop_reason refusal");
			}
			return new ProviderChunk("", FinishReasons.normalize(this.stopReason), this.model, this.usage);
		}

	}

}
