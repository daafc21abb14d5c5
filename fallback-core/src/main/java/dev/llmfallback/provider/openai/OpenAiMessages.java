package dev.llmfallback.provider.openai;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;

import dev.llmfallback.ChatMessage;
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
import dev.llmfallback.provider.http.StrictSchemas;
import dev.llmfallback.provider.http.ToolCallIds;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The Chat Completions wire format (OpenAI, Azure OpenAI and compatible servers) and the domain,
 * both ways: the request body, the answer, the {@code chat.completion.chunk} events. Pure mapping,
 * no HTTP. A text-only request keeps the plain {@code {"role", "content": text}} messages; content
 * parts, tools, tool calls and response formats are mapped by {@link OpenAiTools}. OpenAI-compatible
 * servers take every spec parameter of {@code extra} as it is, so only a strict schema that strict
 * mode refuses is unsupported.
 */
final class OpenAiMessages implements ChatMapping {

	private static final SamplingFields SAMPLING = new SamplingFields("temperature", "max_tokens", "top_p", "stop");

	/** Names the format in the failure of a request it cannot carry (the body knows no provider name). */
	private static final String FORMAT = "openai";

	private final boolean includeModel;

	/**
	 * The mapping of one flavour of the format.
	 * @param includeModel whether the body names the model (Azure names the deployment in the URL)
	 */
	OpenAiMessages(boolean includeModel) {
		this.includeModel = includeModel;
	}

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
		if (this.includeModel) {
			body.put("model", request.model());
		}
		putMessages(body, chat.messages());
		SAMPLING.write(chat, body);
		if (chat.user() != null) {
			body.put("user", chat.user());
		}
		if (!chat.textOnly() || chat.parallelToolCalls() != null) {
			List<String> unsupported = OpenAiTools.unsupported(chat);
			if (!unsupported.isEmpty() && !request.dropUnsupported()) {
				throw OpenAiParams.unsupported(FORMAT, unsupported);
			}
			OpenAiTools.request(chat, body, request.dropUnsupported());
		}
		if (stream) {
			body.putObject("stream_options").put("include_usage", true);
		}
		Json.streamAndExtra(body, chat, stream);
		if (body.has("max_completion_tokens")) {
			// Newer OpenAI models refuse max_tokens next to max_completion_tokens.
			body.remove("max_tokens");
		}
		return body;
	}

	/**
	 * Only a strict schema that OpenAI's strict mode refuses (see {@link StrictSchemas}): every
	 * other part of a request, and every spec parameter of {@code extra}, OpenAI-compatible servers
	 * take as they are.
	 */
	@Override
	public List<String> unsupportedParams(ChatRequest request) {
		return request.textOnly() ? List.of() : OpenAiTools.unsupported(request);
	}

	/** The text-only shape of today for plain messages, the rich one only where a message needs it. */
	private static void putMessages(ObjectNode body, List<ChatMessage> messages) {
		ArrayNode array = body.putArray("messages");
		for (ChatMessage message : messages) {
			ObjectNode node = array.addObject().put("role", message.role().id());
			if (OpenAiTools.plain(message)) {
				node.put("content", message.content());
			}
			else {
				OpenAiTools.message(message, node);
			}
		}
	}

	/**
	 * Maps a {@code chat.completion}.
	 * @param provider the configured provider name, for failures
	 * @param answer the answer's JSON
	 * @return the response
	 * @throws dev.llmfallback.LlmException for no choices, or a refusal without content
	 */
	@Override
	public ProviderResponse response(String provider, JsonNode answer) {
		JsonNode choices = answer.path("choices");
		if (!choices.isArray() || choices.isEmpty()) {
			throw AnswerFailures.invalid(provider, "the answer has no choices");
		}
		JsonNode choice = Json.objects(answer, "choices").get(0);
		JsonNode message = Json.object(choice, "message");
		String content = contentText(message);
		List<ToolCall> calls = OpenAiTools.calls(provider, message);
		String finishReason = FinishReasons.normalize(Json.text(choice.get("finish_reason")));
		if (!calls.isEmpty()) {
			// Some compatible servers (vLLM, Ollama's /v1) end a turn of calls with "stop".
			return new ProviderResponse(content, "tool_calls", Json.text(answer.get("model")),
					usage(answer.get("usage")), calls);
		}
		if ("content_filter".equals(finishReason) && content.isEmpty()) {
			throw AnswerFailures.contentBlocked(provider, "finish_reason content_filter with no content");
		}
		if (content.isEmpty() && Json.text(message.get("refusal")) != null) {
			throw AnswerFailures.contentBlocked(provider, "refusal: " + Json.text(message.get("refusal")));
		}
		return new ProviderResponse(content, finishReason, Json.text(answer.get("model")), usage(answer.get("usage")));
	}

	@Override
	public StreamDecoder decoder(ProviderRequest request, String provider,
			Function<ProviderError, LlmException> errors) {
		return new ChunkDecoder(provider);
	}

	/** The text of a message or delta: a string, content parts, or nothing; any other type is malformed. */
	private static String contentText(JsonNode holder) {
		JsonNode content = holder.get("content");
		if (content != null && content.isArray()) {
			// Some compatible servers answer with content parts.
			return Json.joinText(Json.objects(holder, "content"), (part) -> true);
		}
		String text = Json.string(holder, "content");
		return (text != null) ? text : "";
	}

	static @Nullable Usage usage(@Nullable JsonNode usage) {
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

	/**
	 * Decodes {@code chat.completion.chunk} events up to {@code [DONE]}: text deltas, and
	 * {@code delta.tool_calls[]} fragments as {@link ToolCall.Delta}s with the index the server gave.
	 */
	static final class ChunkDecoder extends AbstractStreamDecoder {

		/** More tool calls than any model makes in one turn. */
		private static final int MAX_CALLS = 4096;

		private boolean text;

		/** The indexes of the calls begun so far (their first delta was emitted). */
		private final BitSet begun = new BitSet();

		private int lastIndex = -1;

		private @Nullable String lastId;

		ChunkDecoder(String provider) {
			super(provider);
		}

		@Override
		public void onEvent(@Nullable String event, JsonNode data, Consumer<ProviderChunk> emit) {
			keepModel(Json.text(data.get("model")));
			keepUsage(usage(data.get("usage")));
			JsonNode choices = data.path("choices");
			if (!choices.isArray() || choices.isEmpty()) {
				// Usage-only chunk, or Azure's prompt_filter_results chunk.
				return;
			}
			JsonNode choice = Json.objects(data, "choices").get(0);
			JsonNode deltaNode = Json.object(choice, "delta");
			String delta = contentText(deltaNode);
			if (!delta.isEmpty()) {
				this.text = true;
				emit.accept(ProviderChunk.text(delta));
			}
			List<JsonNode> calls = Json.objects(deltaNode, "tool_calls");
			if (!calls.isEmpty()) {
				this.text = true;
				emit.accept(ProviderChunk.toolCalls(deltas(calls)));
			}
			String reason = FinishReasons.normalize(Json.text(choice.get("finish_reason")));
			if (reason != null) {
				// Some compatible servers end a turn of calls with "stop".
				this.finishReason = (!this.begun.isEmpty() && "stop".equals(reason)) ? "tool_calls" : reason;
				if ("content_filter".equals(reason) && !this.text) {
					throw blocked("finish_reason content_filter with no content");
				}
			}
		}

		private List<ToolCall.Delta> deltas(List<JsonNode> calls) {
			List<ToolCall.Delta> deltas = new ArrayList<>(calls.size());
			for (JsonNode call : calls) {
				JsonNode function = Json.object(call, "function");
				String id = blankToNull(Json.text(call.get("id")));
				int index = index(call.get("index"), id);
				String name = blankToNull(Json.string(function, "name"));
				JsonNode arguments = function.get("arguments");
				String fragment = (arguments == null || arguments.isNull() || arguments.isMissingNode()) ? ""
						: arguments.isString() ? arguments.stringValue() : arguments.toString();
				if (!this.begun.get(index)) {
					// A call's first delta carries its id; a server that gives none gets one made up.
					this.begun.set(index);
					id = (id != null) ? id : ToolCallIds.fresh();
				}
				deltas.add(new ToolCall.Delta(index, id, name, fragment));
			}
			return deltas;
		}

		/** The index the server gave; a server that gives none numbers its calls by their ids. */
		private int index(@Nullable JsonNode index, @Nullable String id) {
			int given = (index != null && index.isIntegralNumber()) ? index.asInt() : -1;
			if (given > MAX_CALLS) {
				// Not a real answer's numbering; a bit set that large is not made for it.
				throw AnswerFailures.invalid(this.provider, "a tool call delta has index " + given);
			}
			if (given < 0) {
				given = (this.lastIndex < 0 || (id != null && !id.equals(this.lastId))) ? this.begun.length()
						: this.lastIndex;
			}
			this.lastIndex = given;
			if (id != null) {
				this.lastId = id;
			}
			return given;
		}

		private static @Nullable String blankToNull(@Nullable String text) {
			return (text == null || text.isEmpty()) ? null : text;
		}

		@Override
		public void onDoneMarker() {
			this.done = true;
		}

	}

}
