package dev.llmfallback.provider.cohere;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.llmfallback.ChatMessage;
import dev.llmfallback.ChatRequest;
import dev.llmfallback.ContentPart;
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
 * The rich parts of a v2 Chat request (https://docs.cohere.com/reference/chat): content parts,
 * assistant tool calls, tool results, tools, tool choice, response format and the spec parameters
 * of {@code extra}, and the names of what v2 has no equivalent for.
 *
 * <p>Decisions: the text an assistant turn gives with its tool calls goes back as Cohere's
 * {@code tool_plan} (the answer mapping keeps a plan out of the answer's text, so a hop round-trips);
 * tool-call ids are kept as they are (v2 takes any string id); a named tool choice is exact only
 * when it names the request's single tool ({@code REQUIRED}), else unsupported; v2 cannot forbid
 * parallel calls, so {@code parallel_tool_calls: false} is unsupported; {@code strict_tools} is
 * request-wide, so it is set when any tool is strict (stricter than asked for the others, never
 * looser for the strict ones). Strict tool schemas and response schemas are fitted by
 * {@link CohereSchemas}; one that cannot be is unsupported.
 */
final class CohereRequest {

	/** Spec parameters of {@code extra} v2 has a field for ({@code stream_options}: usage always comes). */
	private static final Set<String> TRANSLATED = Set.of("seed", "presence_penalty", "frequency_penalty",
			"max_completion_tokens", "stream_options");

	/** Spec parameters whose value asks for nothing, so that leaving them out changes nothing. */
	private static final Map<String, Object> NEUTRAL = Map.of("n", 1, "logprobs", false, "store", false);

	private CohereRequest() {
	}

	/**
	 * What v2 has no equivalent for, by OpenAI's names.
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
		// No author names; v2 sends an image's detail hint.
		OpenAiParams.messageFields(chat.messages(), true, names);
		boolean misplacedImage = false;
		for (ChatMessage message : chat.messages()) {
			// v2 takes images in user messages only.
			misplacedImage |= message.role() != Role.USER && !message.textOnly();
		}
		if (misplacedImage) {
			names.add("image_url");
		}
		if (chat.toolChoice() instanceof ToolChoice.Named choice && !singleTool(chat, choice)) {
			names.add("tool_choice");
		}
		if (Boolean.FALSE.equals(chat.parallelToolCalls()) && !chat.tools().isEmpty()) {
			names.add("parallel_tool_calls");
		}
		if (chat.tools().stream().anyMatch((tool) -> tool.strict() && strictParameters(tool) == null)) {
			names.add("tools[].function.parameters");
		}
		if (chat.responseFormat() instanceof ResponseFormat.JsonSchema schema && CohereSchemas.fit(schema.schema()) == null) {
			names.add("response_format");
		}
		return names;
	}


	private static boolean singleTool(ChatRequest chat, ToolChoice.Named choice) {
		return chat.tools().size() == 1 && chat.tools().get(0).name().equals(choice.name());
	}

	/**
	 * Puts {@code messages}.
	 * @param body the body
	 * @param messages the conversation
	 */
	static void putMessages(ObjectNode body, List<ChatMessage> messages) {
		ArrayNode array = body.putArray("messages");
		for (ChatMessage message : messages) {
			ObjectNode wire = array.addObject();
			switch (message.role()) {
				case USER -> wire.put("role", "user").set("content", userContent(message));
				case ASSISTANT -> assistant(wire, message);
				case TOOL -> {
					if (message.toolCallId() != null) {
						wire.put("role", "tool").put("tool_call_id", message.toolCallId()).put("content", message.content());
					}
					else {
						// A result without a call id has no call to meet in v2: it is user text.
						wire.put("role", "user").put("content", message.content());
					}
				}
				default -> wire.put("role", message.role().id()).put("content", message.content());
			}
		}
	}

	private static JsonNode userContent(ChatMessage message) {
		if (message.textOnly()) {
			return Json.tree(message.content());
		}
		ArrayNode parts = Json.MAPPER.createArrayNode();
		for (ContentPart part : message.parts()) {
			if (part instanceof ContentPart.Text text) {
				parts.addObject().put("type", "text").put("text", text.text());
			}
			else if (part instanceof ContentPart.Image image) {
				// v2 takes http(s) URLs and base64 data URLs alike (docs.cohere.com/docs/image-inputs).
				ObjectNode url = parts.addObject().put("type", "image_url").putObject("image_url").put("url", image.asUrl());
				if (image.detail() != null) {
					url.put("detail", image.detail());
				}
			}
		}
		return parts;
	}

	private static void assistant(ObjectNode wire, ChatMessage message) {
		wire.put("role", "assistant");
		if (message.toolCalls().isEmpty()) {
			wire.put("content", message.content());
			return;
		}
		if (!message.content().isEmpty()) {
			wire.put("tool_plan", message.content());
		}
		ArrayNode calls = wire.putArray("tool_calls");
		for (ToolCall call : message.toolCalls()) {
			ObjectNode wireCall = calls.addObject().put("id", call.id()).put("type", "function");
			wireCall.putObject("function").put("name", call.name()).put("arguments", call.arguments());
		}
	}

	/**
	 * Puts {@code tools}, {@code strict_tools} and {@code tool_choice}.
	 * @param body the body
	 * @param chat the request
	 */
	static void putTools(ObjectNode body, ChatRequest chat) {
		if (chat.tools().isEmpty()) {
			return;
		}
		ArrayNode tools = body.putArray("tools");
		boolean strict = false;
		for (Tool tool : chat.tools()) {
			ObjectNode function = tools.addObject().put("type", "function").putObject("function").put("name", tool.name());
			if (tool.description() != null) {
				function.put("description", tool.description());
			}
			ObjectNode fitted = tool.strict() ? strictParameters(tool) : null;
			// A strict schema that cannot be fitted was named unsupported; dropped, the tool goes as not strict.
			function.set("parameters", (fitted != null) ? fitted : parameters(tool));
			strict |= fitted != null;
		}
		if (strict) {
			body.put("strict_tools", true);
		}
		ToolChoice choice = chat.toolChoice();
		if (ToolChoice.NONE.equals(choice)) {
			body.put("tool_choice", "NONE");
		}
		else if (ToolChoice.REQUIRED.equals(choice)
				|| (choice instanceof ToolChoice.Named named && singleTool(chat, named))) {
			body.put("tool_choice", "REQUIRED");
		}
		// AUTO is v2's default; another named choice is unsupported and, when dropped, left out.
	}

	private static JsonNode parameters(Tool tool) {
		return tool.parameters().isEmpty() ? Json.object().put("type", "object").set("properties", Json.object())
				: Json.tree(tool.parameters());
	}

	/** A strict tool's parameters fitted to Cohere's structured outputs (no parameters: an empty object). */
	private static @Nullable ObjectNode strictParameters(Tool tool) {
		return tool.parameters().isEmpty() ? (ObjectNode) parameters(tool) : CohereSchemas.fit(tool.parameters());
	}

	/**
	 * Puts {@code response_format}: {@code json_object}, with {@code json_schema} for a schema.
	 * @param body the body
	 * @param format the request's format, or {@code null}
	 */
	static void putResponseFormat(ObjectNode body, @Nullable ResponseFormat format) {
		if (format instanceof ResponseFormat.JsonObject) {
			body.putObject("response_format").put("type", "json_object");
		}
		else if (format instanceof ResponseFormat.JsonSchema schema) {
			ObjectNode fitted = CohereSchemas.fit(schema.schema());
			// A schema that cannot be fitted was named unsupported; dropped, the answer is free text.
			if (fitted != null) {
				body.putObject("response_format").put("type", "json_object").set("json_schema", fitted);
			}
		}
	}

	/**
	 * Puts {@code extra}: the spec names v2 has a field for under that field, the caller's own names
	 * as they are; other spec names (unsupported or neutral) are left out.
	 * @param body the body
	 * @param extra the request's extra parameters
	 */
	static void putExtra(ObjectNode body, Map<String, Object> extra) {
		extra.forEach((name, value) -> {
			if ("max_completion_tokens".equals(name)) {
				body.set("max_tokens", Json.tree(value));
			}
			else if (!OpenAiParams.EXTRA.contains(name) || (TRANSLATED.contains(name) && !"stream_options".equals(name))) {
				body.set(name, Json.tree(value));
			}
		});
	}

}
