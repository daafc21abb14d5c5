package dev.llmfallback.provider.openai;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import dev.llmfallback.ChatMessage;
import dev.llmfallback.ChatRequest;
import dev.llmfallback.ContentPart;
import dev.llmfallback.ResponseFormat;
import dev.llmfallback.Tool;
import dev.llmfallback.ToolCall;
import dev.llmfallback.ToolChoice;
import dev.llmfallback.provider.http.AnswerFailures;
import dev.llmfallback.provider.http.Json;
import dev.llmfallback.provider.http.StrictSchemas;
import dev.llmfallback.provider.http.ToolCallIds;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The rich parts of the Chat Completions format, both ways
 * (https://platform.openai.com/docs/api-reference/chat/create): content parts ({@code text},
 * {@code image_url}, base64 images as data URLs), {@code tools} and {@code tool_choice},
 * {@code parallel_tool_calls}, assistant {@code tool_calls}, {@code tool} messages with
 * {@code tool_call_id}, {@code response_format}; and the {@code tool_calls} of an answer. Strict
 * schemas are adapted by {@link StrictSchemas}. Split from {@link OpenAiMessages} to keep each
 * under 300 lines.
 */
final class OpenAiTools {

	/**
	 * The tool-call ids OpenAI takes back: at most 40 characters ("Invalid 'messages[2].tool_calls[0].id':
	 * string too long. Expected a string with maximum length 40", https://github.com/BerriAI/litellm/issues/17343);
	 * a longer or odd id from another format is replaced by its deterministic hash.
	 */
	static final Pattern ID = Pattern.compile("[a-zA-Z0-9_-]{1,40}");

	/** The names {@code unsupportedParams} gives a strict schema that strict mode refuses. */
	static final String TOOL_STRICT = "tools[].function.strict";

	static final String SCHEMA_STRICT = "response_format.json_schema.strict";

	private OpenAiTools() {
	}

	/** @return whether the message maps to the plain {@code {"role", "content": text}} of a text-only call */
	static boolean plain(ChatMessage message) {
		return message.toolCalls().isEmpty() && message.toolCallId() == null && message.name() == null
				&& message.textOnly();
	}

	/**
	 * Writes a message that is more than text.
	 * @param message the message
	 * @param node its JSON object, holding its role
	 */
	static void message(ChatMessage message, ObjectNode node) {
		if (!message.textOnly()) {
			ArrayNode parts = node.putArray("content");
			for (ContentPart part : message.parts()) {
				if (part instanceof ContentPart.Text text) {
					parts.addObject().put("type", "text").put("text", text.text());
				}
				else if (part instanceof ContentPart.Image image) {
					ObjectNode url = parts.addObject().put("type", "image_url").putObject("image_url");
					url.put("url", image.asUrl());
					if (image.detail() != null) {
						url.put("detail", image.detail());
					}
				}
			}
		}
		else if (message.parts().isEmpty() && !message.toolCalls().isEmpty()) {
			// The spec's shape of an assistant turn holding only calls.
			node.putNull("content");
		}
		else {
			node.put("content", message.content());
		}
		if (message.name() != null) {
			node.put("name", message.name());
		}
		if (!message.toolCalls().isEmpty()) {
			ArrayNode calls = node.putArray("tool_calls");
			for (ToolCall call : message.toolCalls()) {
				ObjectNode function = calls.addObject()
					.put("id", ToolCallIds.fit(call.id(), ID))
					.put("type", "function")
					.putObject("function");
				function.put("name", call.name()).put("arguments", call.arguments());
			}
		}
		if (message.toolCallId() != null) {
			node.put("tool_call_id", ToolCallIds.fit(message.toolCallId(), ID));
		}
	}

	/**
	 * Writes tools, tool choice, parallel calls and the response format.
	 * @param chat the request
	 * @param body the body
	 * @param dropStrict whether a strict schema strict mode refuses is sent without strict (else it
	 * was refused before, by {@link #unsupported})
	 */
	static void request(ChatRequest chat, ObjectNode body, boolean dropStrict) {
		if (!chat.tools().isEmpty()) {
			ArrayNode tools = body.putArray("tools");
			for (Tool tool : chat.tools()) {
				ObjectNode function = tools.addObject().put("type", "function").putObject("function");
				function.put("name", tool.name());
				if (tool.description() != null) {
					function.put("description", tool.description());
				}
				boolean strict = tool.strict() && !(dropStrict && StrictSchemas.problem(tool.parameters()) != null);
				if (strict) {
					function.set("parameters", Json.tree(StrictSchemas.adapt(tool.parameters())));
					function.put("strict", true);
				}
				else if (!tool.parameters().isEmpty()) {
					function.set("parameters", Json.tree(tool.parameters()));
				}
			}
		}
		if (!chat.tools().isEmpty()) {
			// OpenAI refuses both without tools ("'tool_choice' is only allowed when 'tools' are specified").
			if (chat.toolChoice() instanceof ToolChoice.Named named) {
				body.putObject("tool_choice").put("type", "function").putObject("function").put("name", named.name());
			}
			else if (chat.toolChoice() != null) {
				body.put("tool_choice", chat.toolChoice().id());
			}
			if (chat.parallelToolCalls() != null) {
				body.put("parallel_tool_calls", chat.parallelToolCalls());
			}
		}
		if (chat.responseFormat() instanceof ResponseFormat.JsonSchema schema) {
			ObjectNode format = body.putObject("response_format").put("type", "json_schema").putObject("json_schema");
			format.put("name", schema.name());
			if (schema.description() != null) {
				format.put("description", schema.description());
			}
			boolean strict = schema.strict() && !(dropStrict && StrictSchemas.problem(schema.schema()) != null);
			format.set("schema", Json.tree(strict ? StrictSchemas.adapt(schema.schema()) : schema.schema()));
			if (strict) {
				format.put("strict", true);
			}
		}
		else if (chat.responseFormat() != null) {
			body.putObject("response_format").put("type", chat.responseFormat().type());
		}
	}

	/**
	 * What the format cannot carry: only a strict schema that strict mode refuses.
	 * @param chat the request
	 * @return the names, empty for none
	 */
	static List<String> unsupported(ChatRequest chat) {
		List<String> names = null;
		for (Tool tool : chat.tools()) {
			if (tool.strict() && StrictSchemas.problem(tool.parameters()) != null) {
				names = new ArrayList<>(2);
				names.add(TOOL_STRICT);
				break;
			}
		}
		if (chat.responseFormat() instanceof ResponseFormat.JsonSchema schema && schema.strict()
				&& StrictSchemas.problem(schema.schema()) != null) {
			names = (names != null) ? names : new ArrayList<>(1);
			names.add(SCHEMA_STRICT);
		}
		return (names != null) ? names : List.of();
	}

	/**
	 * Reads the {@code tool_calls} of an answer's message.
	 * @param provider the configured provider name
	 * @param message the message
	 * @return the calls, empty for none
	 * @throws dev.llmfallback.LlmException ({@code invalid_response}) for arguments that are not a
	 * JSON object
	 */
	static List<ToolCall> calls(String provider, JsonNode message) {
		List<JsonNode> nodes = Json.objects(message, "tool_calls");
		if (nodes.isEmpty()) {
			return List.of();
		}
		List<ToolCall> calls = new ArrayList<>(nodes.size());
		for (JsonNode node : nodes) {
			JsonNode function = Json.object(node, "function");
			String name = Json.string(function, "name");
			if (name == null || name.isEmpty()) {
				throw AnswerFailures.invalid(provider, "a tool call has no function name");
			}
			String id = Json.text(node.get("id"));
			calls.add(new ToolCall((id != null && !id.isEmpty()) ? id : ToolCallIds.fresh(), name,
					arguments(provider, name, function.get("arguments"))));
		}
		return calls;
	}

	/** The arguments as JSON text of an object; some compatible servers send the object itself. */
	private static String arguments(String provider, String name, @Nullable JsonNode arguments) {
		if (arguments == null || arguments.isNull() || arguments.isMissingNode()) {
			return "{}";
		}
		if (arguments.isObject()) {
			return arguments.toString();
		}
		String text = arguments.isString() ? arguments.stringValue() : null;
		if (text != null && text.isBlank()) {
			return "{}";
		}
		try {
			if (text != null && Json.MAPPER.readTree(text).isObject()) {
				return text;
			}
		}
		catch (JacksonException ex) {
			// Falls through to the failure below.
		}
		throw AnswerFailures.invalid(provider, "the arguments of the call of tool '" + name + "' are not a JSON object");
	}

}
