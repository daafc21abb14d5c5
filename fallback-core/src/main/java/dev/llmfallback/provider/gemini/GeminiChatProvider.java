package dev.llmfallback.provider.gemini;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
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
import org.springframework.web.util.UriComponentsBuilder;

/**
 * Adapter for the Gemini API: {@code {base-url}/v1beta/models/{model}:generateContent}, and
 * {@code :streamGenerateContent?alt=sse} for streams, with {@code x-goog-api-key}. Assistant turns
 * are sent as role {@code model}, system messages as {@code systemInstruction}, generation
 * parameters in {@code generationConfig}. An answer blocked for safety ({@code promptFeedback.blockReason},
 * or a candidate finishing with {@code SAFETY}, {@code PROHIBITED_CONTENT}, {@code BLOCKLIST},
 * {@code SPII}, {@code RECITATION}, {@code IMAGE_SAFETY}) is {@code content_policy}.
 */
public class GeminiChatProvider extends HttpChatProvider {

	private static final SamplingFields SAMPLING = new SamplingFields("temperature", "maxOutputTokens", "topP", "stopSequences");

	/** The Gemini API's base URL. */
	public static final String DEFAULT_BASE_URL = "https://generativelanguage.googleapis.com";

	private static final Set<String> BLOCKED = Set.of("SAFETY", "PROHIBITED_CONTENT", "BLOCKLIST", "SPII", "RECITATION",
			"IMAGE_SAFETY");

	/** Extra parameters that belong at the top level; every other one goes into generationConfig. */
	private static final Set<String> TOP_LEVEL = Set.of("contents", "tools", "toolConfig", "safetySettings",
			"systemInstruction", "generationConfig", "cachedContent", "labels");

	public GeminiChatProvider(ProviderSettings settings, WebClient.Builder webClientBuilder, ClassificationRules rules) {
		super(settings, webClientBuilder, rules);
	}

	@Override
	protected String defaultBaseUrl() {
		return DEFAULT_BASE_URL;
	}

	@Override
	protected URI uri(ProviderRequest request, boolean stream) {
		String model = request.model().startsWith("models/") ? request.model().substring(7) : request.model();
		UriComponentsBuilder uri = UriComponentsBuilder.fromUriString(baseUrl())
			.pathSegment("v1beta", "models", model + (stream ? ":streamGenerateContent" : ":generateContent"));
		if (stream) {
			uri.queryParam("alt", "sse");
		}
		return uri.encode().build().toUri();
	}

	@Override
	protected void authenticate(HttpHeaders headers, String apiKey) {
		headers.set("x-goog-api-key", apiKey);
	}

	@Override
	protected ObjectNode body(ProviderRequest request, boolean stream) {
		ChatRequest chat = request.request();
		ObjectNode body = Json.object();
		List<String> system = new ArrayList<>();
		ArrayNode contents = body.putArray("contents");
		for (ChatMessage message : chat.messages()) {
			if (message.role() == Role.SYSTEM) {
				system.add(message.content());
				continue;
			}
			String role = (message.role() == Role.ASSISTANT) ? "model" : "user";
			contents.addObject().put("role", role).putArray("parts").addObject().put("text", message.content());
		}
		if (!system.isEmpty()) {
			body.putObject("systemInstruction").putArray("parts").addObject().put("text", String.join("\n\n", system));
		}
		ObjectNode config = Json.object();
		SAMPLING.write(chat, config);
		Json.splitExtras(chat.extra(), TOP_LEVEL, body, config);
		if (!config.isEmpty()) {
			JsonNode given = body.get("generationConfig");
			if (given instanceof ObjectNode givenConfig) {
				// An explicit generationConfig in extra wins field by field.
				config.setAll(givenConfig);
			}
			body.set("generationConfig", config);
		}
		return body;
	}

	@Override
	protected ProviderResponse response(JsonNode answer) {
		String blockReason = Json.text(answer.path("promptFeedback").get("blockReason"));
		if (blockReason != null) {
			throw contentBlocked("promptFeedback.blockReason " + blockReason);
		}
		JsonNode candidates = answer.path("candidates");
		if (!candidates.isArray() || candidates.isEmpty()) {
			throw invalid("the answer has no candidates");
		}
		JsonNode candidate = Json.objects(answer, "candidates").get(0);
		String finishReason = Json.text(candidate.get("finishReason"));
		if (finishReason != null && BLOCKED.contains(finishReason)) {
			throw contentBlocked("finishReason " + finishReason);
		}
		return new ProviderResponse(text(candidate), FinishReasons.normalize(finishReason),
				Json.text(answer.get("modelVersion")), usage(answer.get("usageMetadata")));
	}

	private static String text(JsonNode candidate) {
		StringBuilder text = new StringBuilder();
		for (JsonNode part : Json.objects(Json.object(candidate, "content"), "parts")) {
			// Thought summaries are not part of the answer.
			if (!part.path("thought").asBoolean(false)) {
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
		long input = Json.count(usage.get("promptTokenCount"));
		long candidates = Json.count(usage.get("candidatesTokenCount"));
		long thoughts = Json.count(usage.get("thoughtsTokenCount"));
		long total = Json.count(usage.get("totalTokenCount"));
		if (input < 0 && candidates < 0) {
			return null;
		}
		long output = Math.max(0, candidates) + Math.max(0, thoughts);
		input = Math.max(0, input);
		return new Usage(input, output, (total >= 0) ? total : input + output);
	}

	@Override
	protected StreamDecoder streamDecoder(ProviderRequest request) {
		return new ResponseDecoder();
	}

	/**
	 * Decodes a stream of GenerateContentResponse events. The stream has no terminal event: it
	 * is complete once a candidate carries a finish reason.
	 */
	private final class ResponseDecoder implements StreamDecoder {

		private String finishReason;

		private String model;

		private Usage usage;

		@Override
		public void onEvent(String event, JsonNode data, Consumer<ProviderChunk> emit) {
			String blockReason = Json.text(data.path("promptFeedback").get("blockReason"));
			if (blockReason != null) {
				throw contentBlocked("promptFeedback.blockReason " + blockReason);
			}
			String model = Json.text(data.get("modelVersion"));
			if (model != null) {
				this.model = model;
			}
			Usage usage = usage(data.get("usageMetadata"));
			if (usage != null) {
				this.usage = usage;
			}
			List<JsonNode> candidates = Json.objects(data, "candidates");
			if (candidates.isEmpty()) {
				return;
			}
			JsonNode candidate = candidates.get(0);
			String text = text(candidate);
			if (!text.isEmpty()) {
				emit.accept(ProviderChunk.text(text));
			}
			String reason = Json.text(candidate.get("finishReason"));
			if (reason != null && BLOCKED.contains(reason)) {
				throw contentBlocked("finishReason " + reason);
			}
			if (reason != null && !reason.equals("FINISH_REASON_UNSPECIFIED")) {
				this.finishReason = reason;
			}
		}

		@Override
		public boolean isComplete() {
			return this.finishReason != null;
		}

		@Override
		public ProviderChunk finish() {
			return new ProviderChunk("", FinishReasons.normalize(this.finishReason), this.model, this.usage);
		}

	}

}
