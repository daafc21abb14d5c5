package dev.llmfallback.provider.cohere;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
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
import dev.llmfallback.provider.http.ProviderError;
import dev.llmfallback.provider.http.SamplingFields;
import dev.llmfallback.provider.http.StreamDecoder;
import dev.llmfallback.provider.http.ToolCallIds;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeType;
import tools.jackson.databind.node.ObjectNode;

/**
 * Cohere's v2 Chat wire format and the domain, both ways: the request body (its rich parts in
 * {@link CohereRequest}), the answer with its tool calls, the streaming events
 * ({@code content-delta}, {@code tool-call-start}/{@code -delta}/{@code -end}, {@code message-end}
 * with finish reason, usage or an error). The model's {@code tool_plan} (and
 * {@code tool-plan-delta}) is its reasoning before the calls, not answer text: it is left out.
 * Pure mapping, no HTTP. Cohere's answers do not name the model.
 */
final class CohereMessages implements ChatMapping {

	/** Who refuses in {@link OpenAiParams#unsupported}: the mapping knows the format, not the provider's name. */
	private static final String FORMAT = "Cohere's v2 Chat API";

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
		List<String> unsupported = CohereRequest.unsupported(chat);
		if (!unsupported.isEmpty() && !request.dropUnsupported()) {
			throw OpenAiParams.unsupported(FORMAT, unsupported);
		}
		ObjectNode body = Json.object();
		body.put("model", request.model());
		CohereRequest.putMessages(body, chat.messages());
		SAMPLING.write(chat, body);
		CohereRequest.putTools(body, chat);
		CohereRequest.putResponseFormat(body, chat.responseFormat());
		if (stream) {
			body.put("stream", true);
		}
		CohereRequest.putExtra(body, chat.extra());
		return body;
	}

	@Override
	public List<String> unsupportedParams(ChatRequest request) {
		return CohereRequest.unsupported(request);
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
		List<ToolCall> calls = toolCalls(provider, message);
		String finishReason = Json.text(answer.get("finish_reason"));
		AnswerFailures.checkRefusal(provider, !text.isEmpty() || !calls.isEmpty(), "finish_reason", finishReason,
				"ERROR_TOXIC");
		String reason = calls.isEmpty() ? FinishReasons.normalize(finishReason) : "tool_calls";
		return new ProviderResponse(text, reason, null, usage(answer.get("usage")), calls);
	}

	/**
	 * The answer's tool calls ({@code tool_plan}, the model's plan for them, is not answer text).
	 * Arguments are JSON text in v2; an object is taken as it is.
	 */
	private static List<ToolCall> toolCalls(String provider, JsonNode message) {
		List<JsonNode> wire = Json.objects(message, "tool_calls");
		if (wire.isEmpty()) {
			return List.of();
		}
		List<ToolCall> calls = new ArrayList<>(wire.size());
		for (JsonNode call : wire) {
			JsonNode function = Json.object(call, "function");
			String name = Json.string(function, "name");
			if (name == null || name.isEmpty()) {
				throw AnswerFailures.invalid(provider, "a tool call has no function name");
			}
			JsonNode arguments = function.get("arguments");
			String json = (arguments != null && arguments.isObject()) ? arguments.toString()
					: arguments(provider, name, Json.string(function, "arguments"));
			String id = Json.string(call, "id");
			calls.add(new ToolCall((id != null && !id.isEmpty()) ? id : ToolCallIds.fresh(), name, json));
		}
		return calls;
	}

	private static String arguments(String provider, String name, @Nullable String text) {
		if (text == null || text.isBlank()) {
			return "{}";
		}
		JsonNode parsed;
		try {
			parsed = Json.MAPPER.readTree(text);
		}
		catch (RuntimeException ex) {
			throw AnswerFailures.invalid(provider, "the arguments of tool call '" + name + "' are not JSON");
		}
		if (!parsed.isObject()) {
			throw AnswerFailures.invalid(provider, "the arguments of tool call '" + name + "' are not a JSON object");
		}
		return text;
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

		/** v2's index of each started tool call, to ours (0..n among this answer's calls). */
		private final Map<Integer, Integer> calls = new HashMap<>();

		/** v2's index of the call started last, for a delta that names none. */
		private int current = -1;

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
			else if ("tool-call-start".equals(type)) {
				JsonNode call = Json.object(Json.object(Json.object(data, "delta"), "message"), "tool_calls");
				int index = this.calls.size();
				this.current = data.path("index").asInt(index);
				this.calls.put(this.current, index);
				String id = Json.string(call, "id");
				JsonNode function = Json.object(call, "function");
				emit.accept(ProviderChunk.toolCalls(List.of(new ToolCall.Delta(index,
						(id != null && !id.isEmpty()) ? id : ToolCallIds.fresh(), Json.string(function, "name"),
						Objects.requireNonNullElse(Json.string(function, "arguments"), "")))));
			}
			else if ("tool-call-delta".equals(type)) {
				JsonNode call = Json.object(Json.object(Json.object(data, "delta"), "message"), "tool_calls");
				String piece = Json.string(Json.object(call, "function"), "arguments");
				Integer index = this.calls.get(data.path("index").asInt(this.current));
				if (index == null) {
					// Arguments of a call that never started cannot be assembled into anything.
					throw AnswerFailures.invalid(this.provider, "a tool-call-delta for a call that never started");
				}
				if (piece != null && !piece.isEmpty()) {
					emit.accept(ProviderChunk.toolCalls(List.of(new ToolCall.Delta(index, null, null, piece))));
				}
			}
			// tool-plan-delta is the model's plan for its calls, not answer text: left out.
			else if ("message-end".equals(type)) {
				JsonNode delta = data.path("delta");
				this.finishReason = Json.text(delta.get("finish_reason"));
				String error = Json.text(delta.get("error"));
				if (error != null && !error.isBlank()) {
					// A generation that failed after the 200 ends with its error in message-end.
					List<String> codes = (this.finishReason != null) ? List.of(this.finishReason) : List.of();
					throw this.classifier.apply(new ProviderError(null, error, codes, null, true));
				}
				if (!this.calls.isEmpty()) {
					this.finishReason = "tool_calls";
				}
				this.usage = usage(delta.get("usage"));
				this.done = true;
			}
		}

	}

}
