package dev.llmfallback.provider.ollama;

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
import dev.llmfallback.provider.http.ProviderError;
import dev.llmfallback.provider.http.SamplingFields;
import dev.llmfallback.provider.http.StreamDecoder;
import dev.llmfallback.provider.http.ToolCallIds;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeType;
import tools.jackson.databind.node.ObjectNode;

/**
 * Ollama's native chat wire format and the domain, both ways: the request body (sampling
 * parameters in {@code options}; images, tools and formats in {@link OllamaRequest}), the answer
 * with its tool calls, the NDJSON lines up to {@code "done": true}, where each tool call comes
 * whole in one line and becomes one delta. Pure mapping, no HTTP.
 */
final class OllamaMessages implements ChatMapping {

	/** Who refuses in {@link OpenAiParams#unsupported}: the mapping knows the format, not the provider's name. */
	private static final String FORMAT = "Ollama's /api/chat";

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
		List<String> unsupported = OllamaRequest.unsupported(chat);
		if (!unsupported.isEmpty() && !request.dropUnsupported()) {
			throw OpenAiParams.unsupported(FORMAT, unsupported);
		}
		ObjectNode body = Json.object();
		body.put("model", request.model());
		OllamaRequest.putMessages(body, chat.messages());
		// Ollama streams unless told otherwise.
		body.put("stream", stream);
		OllamaRequest.putTools(body, chat);
		OllamaRequest.putFormat(body, chat.responseFormat());
		ObjectNode options = Json.object();
		SAMPLING.write(chat, options);
		Map<String, Object> extra = new LinkedHashMap<>();
		chat.extra().forEach((name, value) -> {
			if ("max_completion_tokens".equals(name)) {
				options.set("num_predict", Json.tree(value));
			}
			else if (!OllamaRequest.leftOut(name)) {
				// seed, presence_penalty, frequency_penalty are Ollama options by the same names.
				extra.put(name, value);
			}
		});
		Json.splitExtras(extra, TOP_LEVEL, body, options);
		if (!options.isEmpty()) {
			if (body.get("options") instanceof ObjectNode given) {
				options.setAll(given);
			}
			body.set("options", options);
		}
		return body;
	}

	@Override
	public List<String> unsupportedParams(ChatRequest request) {
		return OllamaRequest.unsupported(request);
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
		List<ToolCall> calls = new ArrayList<>();
		for (JsonNode call : Json.objects(message, "tool_calls")) {
			calls.add(toolCall(provider, call));
		}
		String reason = calls.isEmpty() ? FinishReasons.normalize(doneReason(answer)) : "tool_calls";
		return new ProviderResponse((content != null) ? content : "", reason, Json.text(answer.get("model")),
				usage(answer), calls);
	}

	/**
	 * One call: arguments are an object in Ollama (JSON text is taken too); an id where a newer
	 * Ollama sends one, else a fresh one.
	 */
	static ToolCall toolCall(String provider, JsonNode call) {
		JsonNode function = Json.object(call, "function");
		String name = Json.string(function, "name");
		if (name == null || name.isEmpty()) {
			throw AnswerFailures.invalid(provider, "a tool call has no function name");
		}
		JsonNode arguments = function.get("arguments");
		if (arguments != null && arguments.isString()) {
			try {
				arguments = Json.MAPPER.readTree(arguments.stringValue());
			}
			catch (RuntimeException ex) {
				throw AnswerFailures.invalid(provider, "the arguments of tool call '" + name + "' are not JSON");
			}
		}
		String json;
		if (arguments == null || arguments.isNull() || arguments.isMissingNode()) {
			json = "{}";
		}
		else if (arguments.isObject()) {
			json = arguments.toString();
		}
		else {
			throw AnswerFailures.invalid(provider, "the arguments of tool call '" + name + "' are not a JSON object");
		}
		String id = Json.string(call, "id");
		return new ToolCall((id != null && !id.isEmpty()) ? id : ToolCallIds.fresh(), name, json);
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

		/** The tool calls seen so far: the next call's index. */
		private int calls;

		LineDecoder(String provider) {
			super(provider);
		}

		@Override
		public void onEvent(@Nullable String event, JsonNode data, Consumer<ProviderChunk> emit) {
			String piece = Json.string(Json.object(data, "message"), "content");
			if (piece != null && !piece.isEmpty()) {
				emit.accept(ProviderChunk.text(piece));
			}
			// Ollama sends each call whole: one delta with all its arguments.
			List<JsonNode> wire = Json.objects(Json.object(data, "message"), "tool_calls");
			if (!wire.isEmpty()) {
				List<ToolCall.Delta> deltas = new ArrayList<>(wire.size());
				for (JsonNode node : wire) {
					ToolCall call = toolCall(this.provider, node);
					deltas.add(new ToolCall.Delta(this.calls++, call.id(), call.name(), call.arguments()));
				}
				emit.accept(ProviderChunk.toolCalls(deltas));
			}
			if (data.path("done").asBoolean(false)) {
				this.finishReason = (this.calls > 0) ? "tool_calls" : doneReason(data);
				this.model = Json.text(data.get("model"));
				this.usage = usage(data);
				this.done = true;
			}
		}

	}

}
