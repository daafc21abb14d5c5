package dev.llmfallback.provider.anthropic;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import dev.llmfallback.ChatRequest;
import dev.llmfallback.LlmException;
import dev.llmfallback.ToolCall;
import dev.llmfallback.Usage;
import dev.llmfallback.provider.ProviderRequest;
import dev.llmfallback.provider.ProviderResponse;
import dev.llmfallback.provider.http.AnswerFailures;
import dev.llmfallback.provider.http.ChatMapping;
import dev.llmfallback.provider.http.FinishReasons;
import dev.llmfallback.provider.http.Json;
import dev.llmfallback.provider.http.OpenAiParams;
import dev.llmfallback.provider.http.ProviderError;
import dev.llmfallback.provider.http.SamplingFields;
import dev.llmfallback.provider.http.StreamDecoder;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeType;
import tools.jackson.databind.node.ObjectNode;

/**
 * Anthropic's Messages wire format and the domain, both ways: the request body (system messages
 * as the top-level {@code system}, {@code max_tokens} always set; content, tool calls and results
 * in {@link AnthropicContent}; tools, tool choice and the response format in
 * {@link AnthropicTools}), the answer, the streaming events. Pure mapping, no HTTP.
 *
 * <p>Of OpenAI's spec parameters in {@code extra}, {@code max_completion_tokens} becomes
 * {@code max_tokens}, {@code safety_identifier} {@code metadata.user_id} (as {@code user} does),
 * and {@code stream_options} needs nothing (streams always report usage); the others have no
 * equivalent ({@code seed}, the penalties, {@code logprobs}, {@code n}, ...) unless they hold the
 * value that asks for nothing (e.g. {@code n: 1}).
 */
final class AnthropicMessages implements ChatMapping {

	private static final SamplingFields SAMPLING = new SamplingFields("temperature", null, "top_p", "stop_sequences");

	/** Spec parameters of {@code extra} this format translates. */
	private static final Set<String> TRANSLATED = Set.of("max_completion_tokens", "safety_identifier",
			"stream_options");

	/** Spec parameters whose value asks for nothing, so that leaving them out changes nothing. */
	private static final Map<String, Object> NEUTRAL = Map.of("n", 1, "logprobs", false, "presence_penalty", 0,
			"frequency_penalty", 0, "store", false);

	/** Who refuses in {@link OpenAiParams#unsupported}: the mapping knows the format, not the provider's name. */
	private static final String FORMAT = "Anthropic's Messages API";

	/**
	 * The request body.
	 * @param request the call
	 * @param stream whether the answer is streamed
	 * @return the body
	 * @throws LlmException ({@code unsupported}) for parts without an equivalent the request may
	 * not drop, ({@code bad_request}) for tool-call arguments that are not a JSON object
	 */
	@Override
	public ObjectNode body(ProviderRequest request, boolean stream) {
		ChatRequest chat = request.request();
		List<String> unsupported = unsupportedParams(chat);
		if (!unsupported.isEmpty() && !request.dropUnsupported()) {
			throw OpenAiParams.unsupported(FORMAT, unsupported);
		}
		ObjectNode body = Json.object();
		body.put("model", request.model());
		body.put("max_tokens", maxTokens(chat));
		List<String> system = new ArrayList<>();
		AnthropicContent.write(body, chat.messages(), system);
		if (!system.isEmpty()) {
			body.put("system", String.join("\n\n", system));
		}
		// Keep "system" before "messages", as the docs write it.
		body.set("messages", body.remove("messages"));
		AnthropicTools.write(chat, body, !unsupported.contains("response_format"));
		SAMPLING.write(chat, body);
		Object safetyIdentifier = chat.extra().get("safety_identifier");
		String user = (chat.user() != null) ? chat.user() : (safetyIdentifier != null) ? safetyIdentifier.toString() : null;
		if (user != null) {
			body.putObject("metadata").put("user_id", user);
		}
		if (stream) {
			body.put("stream", true);
		}
		// Other names than the spec's are the caller's Anthropic parameters (top_k, thinking, ...).
		chat.extra().forEach((name, value) -> {
			if (!OpenAiParams.EXTRA.contains(name)) {
				body.set(name, Json.tree(value));
			}
		});
		return body;
	}

	private static int maxTokens(ChatRequest chat) {
		if (chat.maxTokens() != null) {
			return chat.maxTokens();
		}
		return (chat.extra().get("max_completion_tokens") instanceof Number number) ? number.intValue()
				: AnthropicChatProvider.DEFAULT_MAX_TOKENS;
	}

	@Override
	public List<String> unsupportedParams(ChatRequest request) {
		List<String> names = new ArrayList<>();
		names.addAll(OpenAiParams.untranslated(request.extra(), TRANSLATED, NEUTRAL));
		// The Messages API has no author names and no image detail hint.
		OpenAiParams.messageFields(request.messages(), false, names);
		AnthropicTools.unsupported(request, names);
		return names;
	}


	/**
	 * Maps a {@code message} answer: text blocks to the content, {@code tool_use} blocks to tool
	 * calls (the input object as JSON text).
	 * @param provider the configured provider name, for failures
	 * @param answer the answer's JSON
	 * @return the response
	 * @throws dev.llmfallback.LlmException for no content array, a tool call without id, name or
	 * object input, or a refusal without text
	 */
	@Override
	public ProviderResponse response(String provider, JsonNode answer) {
		AnswerFailures.required(provider, answer, "content", JsonNodeType.ARRAY, "content array");
		List<JsonNode> blocks = Json.objects(answer, "content");
		String text = Json.joinText(blocks, (block) -> "text".equals(Json.text(block.get("type"))));
		List<ToolCall> calls = new ArrayList<>();
		for (JsonNode block : blocks) {
			if ("tool_use".equals(Json.text(block.get("type")))) {
				calls.add(toolCall(provider, block));
			}
		}
		String stopReason = Json.text(answer.get("stop_reason"));
		AnswerFailures.checkRefusal(provider, !text.isEmpty() || !calls.isEmpty(), "stop_reason", stopReason,
				"refusal");
		return new ProviderResponse(text, FinishReasons.normalize(stopReason), Json.text(answer.get("model")),
				usage(answer.get("usage"), -1), calls);
	}

	private static ToolCall toolCall(String provider, JsonNode block) {
		String id = Json.string(block, "id");
		String name = Json.string(block, "name");
		JsonNode input = block.get("input");
		if (id == null || name == null || input == null || !input.isObject()) {
			throw AnswerFailures.invalid(provider, "a tool_use block needs an id, a name and an object input");
		}
		return new ToolCall(id, name, input.toString());
	}

	/**
	 * The answer of a request whose response format went through the answer's tool
	 * ({@link AnthropicTools}): that tool's call becomes the text content, finish reason
	 * {@code stop} unless the model called the caller's tools as well.
	 * @param response the mapped answer
	 * @param answerTool the answer tool's name
	 * @return the answer as the caller asked for it
	 */
	static ProviderResponse answerAsText(ProviderResponse response, String answerTool) {
		ToolCall answer = null;
		List<ToolCall> others = new ArrayList<>();
		for (ToolCall call : response.toolCalls()) {
			if (answer == null && call.name().equals(answerTool)) {
				answer = call;
			}
			else {
				others.add(call);
			}
		}
		if (answer == null) {
			return response;
		}
		String finish = others.isEmpty() ? "stop" : "tool_calls";
		return new ProviderResponse(answer.arguments(), finish, response.providerModel(), response.usage(), others);
	}

	@Override
	public StreamDecoder decoder(ProviderRequest request, String provider,
			Function<ProviderError, LlmException> errors) {
		return new AnthropicEvents(provider, AnthropicTools.answerTool(request.request()));
	}

	static long inputTokens(JsonNode usage) {
		long input = Json.count(usage.get("input_tokens"));
		if (input < 0) {
			return -1;
		}
		// Cached prompt tokens are prompt tokens too.
		return input + Math.max(0, Json.count(usage.get("cache_creation_input_tokens")))
				+ Math.max(0, Json.count(usage.get("cache_read_input_tokens")));
	}

	static @Nullable Usage usage(@Nullable JsonNode usage, long knownInput) {
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

}
