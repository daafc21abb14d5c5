package dev.llmfallback.provider.gemini;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;

import dev.llmfallback.ChatRequest;
import dev.llmfallback.LlmException;
import dev.llmfallback.ToolCall;
import dev.llmfallback.Usage;
import dev.llmfallback.provider.ProviderChunk;
import dev.llmfallback.provider.ProviderRequest;
import dev.llmfallback.provider.ProviderResponse;
import dev.llmfallback.provider.http.AbstractStreamDecoder;
import dev.llmfallback.provider.http.AnswerFailures;
import dev.llmfallback.provider.http.ChatMapping;
import dev.llmfallback.provider.http.FinishReasons;
import dev.llmfallback.provider.http.Json;
import dev.llmfallback.provider.http.OpenAiParams;
import dev.llmfallback.provider.http.ToolCallIds;
import dev.llmfallback.provider.http.ProviderError;
import dev.llmfallback.provider.http.SamplingFields;
import dev.llmfallback.provider.http.StreamDecoder;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The Gemini API's wire format and the domain, both ways: the request body (assistant turns as role
 * {@code model}, system messages as {@code systemInstruction}, generation parameters in
 * {@code generationConfig}), the {@code GenerateContentResponse}, the streamed responses. An
 * answer blocked for safety ({@code promptFeedback.blockReason}, or a candidate finishing with
 * {@code SAFETY}, {@code PROHIBITED_CONTENT}, {@code BLOCKLIST}, {@code SPII}, {@code RECITATION},
 * {@code IMAGE_SAFETY}) is {@code content_policy}. Content parts, tool calls and results are in
 * {@link GeminiContents}; tools, tool choice and the response format in {@link GeminiTools}.
 * {@code functionCall} parts of an answer become tool calls (finish reason {@code tool_calls}),
 * each streamed whole as one delta. Pure mapping, no HTTP.
 *
 * <p>Of OpenAI's spec parameters in {@code extra}, {@code seed}, {@code presence_penalty},
 * {@code frequency_penalty} and {@code max_completion_tokens} become generationConfig's
 * {@code seed}, {@code presencePenalty}, {@code frequencyPenalty} and {@code maxOutputTokens}
 * ({@code max_tokens} wins over the last), and {@code stream_options} needs nothing (streams always
 * report usage). The others have no equivalent ({@code logprobs}, {@code top_logprobs},
 * {@code n}, {@code logit_bias}, ...: Gemini's own {@code responseLogprobs} and
 * {@code candidateCount} answer in shapes this mapping does not read) unless they hold the value
 * that asks for nothing ({@code n: 1}, {@code logprobs: false}); nor do author names
 * ({@code messages[].name}). Names outside the spec are the caller's Gemini parameters: top-level
 * fields where Gemini has them, else generationConfig fields.
 */
final class GeminiMessages implements ChatMapping {

	private static final SamplingFields SAMPLING = new SamplingFields("temperature", "maxOutputTokens", "topP", "stopSequences");

	private static final Set<String> BLOCKED = Set.of("SAFETY", "PROHIBITED_CONTENT", "BLOCKLIST", "SPII", "RECITATION",
			"IMAGE_SAFETY");

	/** Spec parameters of {@code extra} and the generationConfig field each becomes. */
	private static final Map<String, String> TRANSLATED_FIELDS = Map.of("seed", "seed", "presence_penalty",
			"presencePenalty", "frequency_penalty", "frequencyPenalty", "max_completion_tokens", "maxOutputTokens");

	/** Spec parameters of {@code extra} this format translates ({@code stream_options}: streams always report usage). */
	private static final Set<String> TRANSLATED = Set.of("seed", "presence_penalty", "frequency_penalty",
			"max_completion_tokens", "stream_options");

	/** Spec parameters whose value asks for nothing, so that leaving them out changes nothing. */
	private static final Map<String, Object> NEUTRAL = Map.of("n", 1, "logprobs", false);

	/** Who refuses in {@link OpenAiParams#unsupported}: the mapping knows the format, not the provider's name. */
	private static final String FORMAT = "Gemini's generateContent API";

	/** Extra parameters that belong at the top level; every other one goes into generationConfig. */
	private static final Set<String> TOP_LEVEL = Set.of("contents", "tools", "toolConfig", "safetySettings",
			"systemInstruction", "generationConfig", "cachedContent", "labels");

	/**
	 * The request body (the same for a call and a stream: the endpoint says which).
	 * @param request the call
	 * @param stream whether the answer is streamed (not written: the endpoint says it)
	 * @return the body
	 * @throws LlmException ({@code unsupported}) for parts without an equivalent the request may
	 * not drop, ({@code bad_request}) for tool-call arguments that are not a JSON object or a tool
	 * result without its call
	 */
	@Override
	public ObjectNode body(ProviderRequest request, boolean stream) {
		ChatRequest chat = request.request();
		List<String> unsupported = unsupportedParams(chat);
		if (!unsupported.isEmpty() && !request.dropUnsupported()) {
			throw OpenAiParams.unsupported(FORMAT, unsupported);
		}
		ObjectNode body = Json.object();
		List<String> system = new ArrayList<>();
		GeminiContents.write(body.putArray("contents"), chat.messages(), system);
		if (!system.isEmpty()) {
			body.putObject("systemInstruction").putArray("parts").addObject().put("text", String.join("\n\n", system));
		}
		ObjectNode config = Json.object();
		SAMPLING.write(chat, config);
		GeminiTools.write(chat, body, config);
		specParams(chat, config);
		Map<String, Object> passThrough = new LinkedHashMap<>(chat.extra());
		passThrough.keySet().removeAll(OpenAiParams.EXTRA);
		Json.splitExtras(passThrough, TOP_LEVEL, body, config);
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

	/** The spec parameters of {@code extra} with a generationConfig field of their own. */
	private static void specParams(ChatRequest chat, ObjectNode config) {
		Map<String, Object> extra = chat.extra();
		TRANSLATED_FIELDS.forEach((name, field) -> {
			Object value = extra.get(name);
			if (value != null && !config.has(field)) {
				config.set(field, Json.tree(value));
			}
		});
	}

	@Override
	public List<String> unsupportedParams(ChatRequest request) {
		List<String> names = new ArrayList<>();
		names.addAll(OpenAiParams.untranslated(request.extra(), TRANSLATED, NEUTRAL));
		if (request.user() != null) {
			// generateContent has no end-user id: named, never dropped unseen.
			names.add("user");
		}
		GeminiContents.unsupported(request.messages(), names);
		GeminiTools.unsupported(request, names);
		return names;
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
		String text = text(candidate);
		List<ToolCall> calls = new ArrayList<>();
		for (JsonNode part : Json.objects(Json.object(candidate, "content"), "parts")) {
			JsonNode call = part.get("functionCall");
			if (call != null) {
				calls.add(toolCall(provider, call));
			}
		}
		if (text.isEmpty() && calls.isEmpty() && "MALFORMED_FUNCTION_CALL".equals(finishReason)) {
			throw AnswerFailures.invalid(provider, "finishReason MALFORMED_FUNCTION_CALL: the model's tool call was not valid");
		}
		String reason = calls.isEmpty() ? FinishReasons.normalize(finishReason) : "tool_calls";
		return new ProviderResponse(text, reason, Json.text(answer.get("modelVersion")),
				usage(answer.get("usageMetadata")), calls);
	}

	/**
	 * A {@code functionCall} part's call: its {@code id} when Gemini gives one, else a fresh one;
	 * the {@code args} object as JSON text.
	 */
	private static ToolCall toolCall(String provider, JsonNode call) {
		String name = call.isObject() ? Json.text(call.get("name")) : null;
		JsonNode args = call.isObject() ? call.get("args") : null;
		if (name == null || name.isEmpty() || (args != null && !args.isNull() && !args.isObject())) {
			throw AnswerFailures.invalid(provider, "a functionCall part needs a name and an object args");
		}
		String id = Json.text(call.get("id"));
		return new ToolCall((id != null && !id.isEmpty()) ? id : ToolCallIds.fresh(), name,
				(args != null && args.isObject()) ? args.toString() : "{}");
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

		/** The functionCall parts seen so far: the next one's index. */
		private int calls;

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
			// Gemini sends each functionCall whole: one delta with all its arguments.
			List<ToolCall.Delta> deltas = new ArrayList<>();
			for (JsonNode part : Json.objects(Json.object(candidate, "content"), "parts")) {
				JsonNode functionCall = part.get("functionCall");
				if (functionCall != null) {
					ToolCall call = toolCall(this.provider, functionCall);
					deltas.add(new ToolCall.Delta(this.calls++, call.id(), call.name(), call.arguments()));
				}
			}
			if (!deltas.isEmpty()) {
				emit.accept(ProviderChunk.toolCalls(deltas));
			}
			String reason = Json.text(candidate.get("finishReason"));
			if (reason != null && BLOCKED.contains(reason)) {
				throw blocked("finishReason " + reason);
			}
			if (reason != null && !reason.equals("FINISH_REASON_UNSPECIFIED")) {
				if (this.calls == 0 && "MALFORMED_FUNCTION_CALL".equals(reason)) {
					throw AnswerFailures.invalid(this.provider,
							"finishReason MALFORMED_FUNCTION_CALL: the model's tool call was not valid");
				}
				this.finishReason = (this.calls > 0) ? "tool_calls" : reason;
				this.done = true;
			}
		}

	}

}
