package dev.llmfallback.provider.ollama;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.llmfallback.ChatMessage;
import dev.llmfallback.ChatRequest;
import dev.llmfallback.ContentPart;
import dev.llmfallback.ErrorCategory;
import dev.llmfallback.LlmException;
import dev.llmfallback.ResponseFormat;
import dev.llmfallback.Role;
import dev.llmfallback.Tool;
import dev.llmfallback.ToolCall;
import dev.llmfallback.ToolChoice;
import dev.llmfallback.provider.http.Json;
import dev.llmfallback.provider.http.OpenAiParams;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The rich parts of an {@code /api/chat} request (https://docs.ollama.com/api/chat,
 * https://docs.ollama.com/capabilities/tool-calling): images, tools, assistant tool calls, tool
 * results, {@code format}, the spec parameters of {@code extra}, and the names of what Ollama has
 * no equivalent for.
 *
 * <p>Decisions: images travel as base64 in {@code messages[].images} (a data URL's data is fine; an
 * http URL Ollama cannot fetch is {@code image_url}, unsupported); a tool result names its function
 * in {@code tool_name}, found from the earlier assistant call with the result's id (a result whose id
 * meets no call is a bad request); calls go back without ids, as Ollama's requests carry none; Ollama
 * has no tool choice (only {@code auto}, its behaviour, is carried), no control of parallel calls
 * ({@code false} is unsupported) and no strict tools (a strict tool is unsupported); a JSON Schema
 * response format is Ollama's grammar-constrained {@code format}, so its strictness holds.
 */
final class OllamaRequest {

	/** Spec parameters of {@code extra} Ollama has an option for ({@code stream_options}: counts always come). */
	private static final Set<String> TRANSLATED = Set.of("seed", "presence_penalty", "frequency_penalty",
			"max_completion_tokens", "stream_options");

	/** Spec parameters whose value asks for nothing, so that leaving them out changes nothing. */
	private static final Map<String, Object> NEUTRAL = Map.of("n", 1, "logprobs", false, "store", false);

	private OllamaRequest() {
	}

	/**
	 * What Ollama has no equivalent for, by OpenAI's names.
	 * @param chat the request
	 * @return the names, empty for none
	 */
	static List<String> unsupported(ChatRequest chat) {
		List<String> names = new ArrayList<>();
		names.addAll(OpenAiParams.untranslated(chat.extra(), TRANSLATED, NEUTRAL));
		if (chat.user() != null) {
			// No field for an end-user id: named, never dropped unseen.
			names.add("user");
		}
		// No author names, no image detail hint.
		OpenAiParams.messageFields(chat.messages(), false, names);
		boolean urlImage = false;
		for (ChatMessage message : chat.messages()) {
			for (ContentPart part : message.parts()) {
				urlImage |= part instanceof ContentPart.Image image && !image.isData();
			}
		}
		if (urlImage) {
			names.add("image_url");
		}
		if (chat.tools().stream().anyMatch(Tool::strict)) {
			names.add("tools[].function.strict");
		}
		if (chat.toolChoice() != null && !ToolChoice.AUTO.equals(chat.toolChoice())) {
			names.add("tool_choice");
		}
		if (Boolean.FALSE.equals(chat.parallelToolCalls()) && !chat.tools().isEmpty()) {
			names.add("parallel_tool_calls");
		}
		return names;
	}


	/**
	 * Puts {@code messages}.
	 * @param body the body
	 * @param messages the conversation
	 * @throws LlmException ({@code bad_request}) for a tool result whose id meets no earlier call, or
	 * call arguments that are not a JSON object
	 */
	static void putMessages(ObjectNode body, List<ChatMessage> messages) {
		ArrayNode array = body.putArray("messages");
		Map<String, String> names = new HashMap<>();
		for (ChatMessage message : messages) {
			ObjectNode wire = array.addObject().put("role", message.role().id()).put("content", message.content());
			ArrayNode images = null;
			for (ContentPart part : message.parts()) {
				if (part instanceof ContentPart.Image image && image.isData()) {
					if (images == null) {
						images = wire.putArray("images");
					}
					images.add(image.data());
				}
			}
			if (!message.toolCalls().isEmpty()) {
				ArrayNode calls = wire.putArray("tool_calls");
				int index = 0;
				for (ToolCall call : message.toolCalls()) {
					names.put(call.id(), call.name());
					calls.addObject().put("type", "function").putObject("function").put("index", index++)
						.put("name", call.name()).set("arguments", arguments(call));
				}
			}
			if (message.role() == Role.TOOL && message.toolCallId() != null) {
				String name = names.get(message.toolCallId());
				if (name == null) {
					throw badRequest("the tool result for call '" + message.toolCallId()
							+ "' follows no assistant call with that id; Ollama matches results by function name");
				}
				wire.put("tool_name", name);
			}
		}
	}

	private static JsonNode arguments(ToolCall call) {
		JsonNode arguments;
		try {
			arguments = Json.MAPPER.readTree(call.arguments());
		}
		catch (RuntimeException ex) {
			throw badRequest("the arguments of tool call '" + call.id() + "' are not JSON");
		}
		if (!arguments.isObject()) {
			throw badRequest("the arguments of tool call '" + call.id() + "' are not a JSON object");
		}
		return arguments;
	}

	private static LlmException badRequest(String message) {
		return LlmException.builder(ErrorCategory.BAD_REQUEST).message(message).build();
	}

	/**
	 * Puts {@code tools}.
	 * @param body the body
	 * @param chat the request
	 */
	static void putTools(ObjectNode body, ChatRequest chat) {
		if (chat.tools().isEmpty()) {
			return;
		}
		ArrayNode tools = body.putArray("tools");
		for (Tool tool : chat.tools()) {
			ObjectNode function = tools.addObject().put("type", "function").putObject("function").put("name", tool.name());
			if (tool.description() != null) {
				function.put("description", tool.description());
			}
			function.set("parameters", tool.parameters().isEmpty()
					? Json.object().put("type", "object").set("properties", Json.object()) : Json.tree(tool.parameters()));
		}
	}

	/**
	 * Puts {@code format}: {@code "json"} for any JSON object, the schema itself for a schema.
	 * @param body the body
	 * @param format the request's format, or {@code null}
	 */
	static void putFormat(ObjectNode body, @Nullable ResponseFormat format) {
		if (format instanceof ResponseFormat.JsonObject) {
			body.put("format", "json");
		}
		else if (format instanceof ResponseFormat.JsonSchema schema) {
			body.set("format", Json.tree(schema.schema()));
		}
	}

	/**
	 * Whether a spec name of {@code extra} is left out of the body: the untranslated ones (unsupported
	 * or neutral) and {@code stream_options}.
	 * @param name the name
	 * @return whether to leave it out
	 */
	static boolean leftOut(String name) {
		return OpenAiParams.EXTRA.contains(name) && (!TRANSLATED.contains(name) || "stream_options".equals(name));
	}

}
