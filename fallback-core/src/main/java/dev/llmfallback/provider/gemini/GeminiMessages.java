package dev.llmfallback.provider.gemini;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
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
import dev.llmfallback.provider.http.ChatMapping;
import dev.llmfallback.provider.http.FinishReasons;
import dev.llmfallback.provider.http.Json;
import dev.llmfallback.provider.http.ProviderError;
import dev.llmfallback.provider.http.SamplingFields;
import dev.llmfallback.provider.http.StreamDecoder;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The Gemini API's wire format and the domain, both ways: the request body (assistant turns as role
 * {@code model}, system messages as {@code systemInstruction}, generation parameters in
 * {@code generationConfig}), the {@code GenerateContentResponse}, the streamed responses. An
 * answer blocked for safety ({@code promptFeedback.blockReason}, or a candidate finishing with
 * {@code SAFETY}, {@code PROHIBITED_CONTENT}, {@code BLOCKLIST}, {@code SPII}, {@code RECITATION},
 * {@code IMAGE_SAFETY}) is {@code content_policy}. Pure mapping, no HTTP.
 */
final class GeminiMessages implements ChatMapping {

	private static final SamplingFields SAMPLING = new SamplingFields("temperature", "maxOutputTokens", "topP", "stopSequences");

	private static final Set<String> BLOCKED = Set.of("SAFETY", "PROHIBITED_CONTENT", "BLOCKLIST", "SPII", "RECITATION",
			"IMAGE_SAFETY");

	/** Extra parameters that belong at the top level; every other one goes into generationConfig. */
	private static final Set<String> TOP_LEVEL = Set.of("contents", "tools", "toolConfig", "safetySettings",
			"systemInstruction", "generationConfig", "cachedContent", "labels");

	/**
	 * The request body (the same for a call and a stream: the endpoint says which).
	 * @param request the call
	 * @param stream whether the answer is streamed (not written: the endpoint says it)
	 * @return the body
	 */
	@Override
	public ObjectNode body(ProviderRequest request, boolean stream) {
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

	/**
	 * Maps a {@code GenerateContentResponse}.
	 * @param provider the configured provider name, for failures
	 * @param answer the answer's JSON
	 * @return the response
	 * @throws dev.llmfallback.LlmException for a safety block or no candidates
	 */
	@Override
	public ProviderResponse response(String provider, JsonNode answer) {
		String blockReason = Json.text(answer.path("promptFeedback").get("blockReason"));
		if (blockReason != null) {
			throw AnswerFailures.contentBlocked(provider, "promptFeedback.blockReason " + blockReason);
		}
		JsonNode candidates = answer.path("candidates");
		if (!candidates.isArray() || candidates.isEmpty()) {
			throw AnswerFailures.invalid(provider, "the answer has no candidates");
		}
		JsonNode candidate = Json.objects(answer, "candidates").get(0);
		String finishReason = Json.text(candidate.get("finishReason"));
		if (finishReason != null && BLOCKED.contains(finishReason)) {
			throw AnswerFailures.contentBlocked(provider, "finishReason " + finishReason);
		}
		return new ProviderResponse(text(candidate), FinishReasons.normalize(finishReason),
				Json.text(answer.get("modelVersion")), usage(answer.get("usageMetadata")));
	}

	@Override
	public StreamDecoder decoder(ProviderRequest request, String provider,
			Function<ProviderError, LlmException> errors) {
		return new ResponseDecoder(provider);
	}

	private static String text(JsonNode candidate) {
		// Thought summaries are not part of the answer.
		return Json.joinText(Json.objects(Json.object(candidate, "content"), "parts"),
				(part) -> !part.path("thought").asBoolean(false));
	}

	private static @Nullable Usage usage(@Nullable JsonNode usage) {
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

	/**
	 * Decodes a stream of GenerateContentResponse events. The stream has no terminal event: it
	 * is complete once a candidate carries a finish reason.
	 */
	static final class ResponseDecoder extends AbstractStreamDecoder {

		ResponseDecoder(String provider) {
			super(provider);
		}

		@Override
		public void onEvent(@Nullable String event, JsonNode data, Consumer<ProviderChunk> emit) {
			String blockReason = Json.text(data.path("promptFeedback").get("blockReason"));
			if (blockReason != null) {
				throw blocked("promptFeedback.blockReason " + blockReason);
			}
			String model = Json.text(data.get("modelVersion"));
			if (model != null) {
				this.model = model;
			}
			keepUsage(usage(data.get("usageMetadata")));
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
				throw blocked("finishReason " + reason);
			}
			if (reason != null && !reason.equals("FINISH_REASON_UNSPECIFIED")) {
				this.finishReason = reason;
				this.done = true;
			}
		}

	}

}
