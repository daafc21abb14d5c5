package dev.llmfallback.provider.openai;

import java.net.URI;
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
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.web.reactive.function.client.WebClient;

/**
 * Adapter for OpenAI's Chat Completions API and every server that speaks it (Groq, Mistral,
 * DeepSeek, OpenRouter, vLLM, LM Studio, Ollama's {@code /v1}): {@code POST {base-url}/chat/completions}
 * with a bearer key; streams are Server-Sent Events ending with {@code data: [DONE]}, with
 * {@code stream_options.include_usage} so the last chunk carries usage.
 */
public class OpenAiChatProvider extends HttpChatProvider {

	/** Parsed once: the same for every request. */
	private final URI endpoint = URI.create(baseUrl() + "/chat/completions");

	private static final SamplingFields SAMPLING = new SamplingFields("temperature", "max_tokens", "top_p", "stop");

	/** OpenAI's base URL, the one its SDKs use. */
	public static final String DEFAULT_BASE_URL = "https://api.openai.com/v1";

	public OpenAiChatProvider(ProviderSettings settings, WebClient.Builder webClientBuilder, ClassificationRules rules) {
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
	protected ObjectNode body(ProviderRequest request, boolean stream) {
		ChatRequest chat = request.request();
		ObjectNode body = Json.object();
		if (includeModel()) {
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
		putExtra(body, request);
		if (body.has("max_completion_tokens")) {
			// Newer OpenAI models refuse max_tokens next to max_completion_tokens.
			body.remove("max_tokens");
		}
		return body;
	}

	/** @return whether the body names the model (Azure names the deployment in the URL instead) */
	protected boolean includeModel() {
		return true;
	}

	@Override
	protected ProviderResponse response(JsonNode answer) {
		JsonNode choices = answer.path("choices");
		if (!choices.isArray() || choices.isEmpty()) {
			throw invalid("the answer has no choices");
		}
		JsonNode choice = Json.objects(answer, "choices").get(0);
		JsonNode message = Json.object(choice, "message");
		String content = contentText(message);
		String finishReason = FinishReasons.normalize(Json.text(choice.get("finish_reason")));
		if ("content_filter".equals(finishReason) && content.isEmpty()) {
			throw contentBlocked("finish_reason content_filter with no content");
		}
		if (content.isEmpty() && Json.text(message.get("refusal")) != null) {
			throw contentBlocked("refusal: " + Json.text(message.get("refusal")));
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

	static Usage usage(JsonNode usage) {
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

	@Override
	protected StreamDecoder streamDecoder(ProviderRequest request) {
		return new ChunkDecoder();
	}

	/** Decodes {@code chat.completion.chunk} events up to {@code [DONE]}. */
	private final class ChunkDecoder implements StreamDecoder {

		private boolean done;

		private boolean text;

		private String finishReason;

		private String model;

		private Usage usage;

		@Override
		public void onEvent(String event, JsonNode data, Consumer<ProviderChunk> emit) {
			String model = Json.text(data.get("model"));
			if (model != null && !model.isEmpty()) {
				this.model = model;
			}
			Usage usage = usage(data.get("usage"));
			if (usage != null) {
				this.usage = usage;
			}
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
					throw contentBlocked("finish_reason content_filter with no content");
				}
			}
		}

		@Override
		public void onDoneMarker() {
			this.done = true;
		}

		@Override
		public boolean isComplete() {
			return this.done;
		}

		@Override
		public ProviderChunk finish() {
			return new ProviderChunk("", this.finishReason, this.model, this.usage);
		}

	}

}
