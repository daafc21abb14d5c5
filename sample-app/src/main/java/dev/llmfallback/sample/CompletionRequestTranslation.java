package dev.llmfallback.sample;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.llmfallback.ChatMessage;
import dev.llmfallback.ChatRequest;
import dev.llmfallback.ContentPart;
import dev.llmfallback.LlmException;
import dev.llmfallback.ResponseFormat;
import dev.llmfallback.Role;
import dev.llmfallback.Tool;
import dev.llmfallback.ToolCall;
import dev.llmfallback.ToolChoice;
import dev.llmfallback.sample.openai.ChatCompletionMessage;
import dev.llmfallback.sample.openai.ChatCompletionRequest;

/**
 * Translates the whole of OpenAI's {@code CreateChatCompletionRequest} into a {@link ChatRequest}:
 * messages with their content parts, tool calls and tool results, tools, tool choice, response
 * format; the other spec fields and unknown fields go into {@link ChatRequest#extra()} by their
 * name, so OpenAI-compatible models get them and other formats translate or refuse them. What the
 * answer could not carry (several choices, log probabilities, audio) and what the domain cannot
 * hold (audio and file parts, custom tools, the legacy functions API) is refused by name: never a
 * 200 that silently lacks what was asked. docs/GATEWAY.md has the table of every field.
 *
 * <p>Over 300 lines: one translation of one spec object, part by part (messages, content parts, tool
 * calls, tools, tool choice, response format, refusals).
 */
final class CompletionRequestTranslation {

	/** OpenAI accepts at most 128 tools; so does the gateway, rather than forward a huge list. */
	static final int MAX_TOOLS = 128;

	/** Top-level fields read into the request's own components, never into {@code extra}. */
	private static final Set<String> TRANSLATED = Set.of("tools", "tool_choice", "parallel_tool_calls",
			"response_format", "n", "logprobs", "top_logprobs", "modalities", "audio", "functions", "function_call");

	private static final JsonMapper json = JsonMapper.builder().build();

	private CompletionRequestTranslation() {
	}

	/**
	 * @param body the request as read
	 * @param request a builder holding the sampling fields already
	 * @throws LlmException of category {@code bad_request} naming what cannot be served
	 */
	static void translate(ChatCompletionRequest body, ChatRequest.Builder request) {
		Map<String, Object> extra = body.extra();
		refuseUnanswerable(extra);
		if (present(extra, "functions") || present(extra, "function_call")) {
			throw invalid("'functions' and 'function_call' are the deprecated functions API: send 'tools' and "
					+ "'tool_choice' instead (the answer would carry tool_calls, which a functions client does not read)");
		}
		// Present and not empty: OpenAiChatCompletions refuses the request before translating it otherwise.
		List<ChatCompletionMessage> messages = Objects.requireNonNull(body.messages());
		for (int i = 0; i < messages.size(); i++) {
			request.message(message(messages.get(i), "messages[" + i + "]"));
		}
		JsonNode tools = node(extra.get("tools"));
		if (tools != null && !tools.isNull()) {
			if (!tools.isArray()) {
				throw invalid("'tools' must be an array");
			}
			if (tools.size() > MAX_TOOLS) {
				throw invalid("'tools' holds " + tools.size() + " tools; at most " + MAX_TOOLS + " are accepted");
			}
			for (int i = 0; i < tools.size(); i++) {
				request.tool(tool(tools.get(i), "tools[" + i + "]"));
			}
		}
		JsonNode choice = node(extra.get("tool_choice"));
		if (choice != null && !choice.isNull()) {
			request.toolChoice(toolChoice(choice));
		}
		Object parallel = extra.get("parallel_tool_calls");
		if (parallel != null) {
			if (!(parallel instanceof Boolean flag)) {
				throw invalid("'parallel_tool_calls' must be true or false");
			}
			request.parallelToolCalls(flag);
		}
		JsonNode format = node(extra.get("response_format"));
		if (format != null && !format.isNull()) {
			request.responseFormat(responseFormat(format));
		}
		extra.forEach((name, value) -> {
			if (!TRANSLATED.contains(name)) {
				request.extra(name, value);
			}
		});
	}

	/** Fields asking for output one choice of text and tool calls cannot carry. */
	private static void refuseUnanswerable(Map<String, Object> extra) {
		List<String> refused = new ArrayList<>();
		Object n = extra.get("n");
		if (n != null && !(n instanceof Number count && count.doubleValue() == 1)) {
			refused.add("n (only one choice is answered)");
		}
		if (Boolean.TRUE.equals(extra.get("logprobs"))) {
			refused.add("logprobs");
		}
		Object top = extra.get("top_logprobs");
		if (top != null && !(top instanceof Number count && count.doubleValue() == 0)) {
			refused.add("top_logprobs");
		}
		JsonNode modalities = node(extra.get("modalities"));
		if (modalities != null && modalities.isArray()) {
			modalities.forEach((modality) -> {
				if (!"text".equals(modality.asString(""))) {
					refused.add("modalities: " + modality);
				}
			});
		}
		if (present(extra, "audio")) {
			refused.add("audio");
		}
		if (!refused.isEmpty()) {
			throw invalid("Unsupported request argument supplied: " + String.join(", ", refused)
					+ "; this gateway answers one choice of text and tool calls and never drops what was asked");
		}
	}

	private static ChatMessage message(@Nullable ChatCompletionMessage message, String at) {
		if (message == null || message.role() == null) {
			throw invalid("each message needs a 'role' and 'content'");
		}
		Role role = role(message.role(), at);
		Map<String, Object> fields = new LinkedHashMap<>(message.extra());
		String name = string(fields.remove("name"), at + ".name");
		String toolCallId = string(fields.remove("tool_call_id"), at + ".tool_call_id");
		JsonNode calls = node(fields.remove("tool_calls"));
		String refusal = string(fields.remove("refusal"), at + ".refusal");
		List<String> unknown = new ArrayList<>();
		fields.forEach((field, value) -> {
			if (value != null) {
				unknown.add(at + "." + field);
			}
		});
		if (!unknown.isEmpty()) {
			throw invalid("Unsupported request argument supplied: " + String.join(", ", unknown)
					+ "; this gateway cannot carry it and never drops it");
		}
		List<ContentPart> parts = parts(message.content(), at);
		if (refusal != null) {
			parts = new ArrayList<>(parts);
			parts.add(ContentPart.text(refusal));
		}
		List<ToolCall> toolCalls = new ArrayList<>();
		if (calls != null && !calls.isNull()) {
			if (role != Role.ASSISTANT || !calls.isArray()) {
				throw invalid("'" + at + ".tool_calls' must be an array on an assistant message");
			}
			for (int i = 0; i < calls.size(); i++) {
				toolCalls.add(toolCall(calls.get(i), at + ".tool_calls[" + i + "]"));
			}
		}
		if (role == Role.TOOL && toolCallId == null) {
			throw invalid("'" + at + ".tool_call_id' is required on a tool message");
		}
		if (role != Role.TOOL && toolCallId != null) {
			throw invalid("'" + at + ".tool_call_id' belongs on a tool message only");
		}
		return new ChatMessage(role, parts, toolCalls, toolCallId, name);
	}

	private static Role role(String role, String at) {
		return switch (role) {
			case "system", "developer" -> Role.SYSTEM;
			case "user" -> Role.USER;
			case "assistant" -> Role.ASSISTANT;
			case "tool" -> Role.TOOL;
			case "function" -> throw invalid("'" + at + ".role' function is the deprecated functions API: send "
					+ "assistant tool_calls and tool messages instead");
			default -> throw invalid("unknown message role '" + role + "'");
		};
	}

	/** Content is null, a string, or an array of text, image_url and refusal parts. */
	private static List<ContentPart> parts(@Nullable JsonNode content, String at) {
		if (content == null || content.isNull()) {
			return List.of();
		}
		if (content.isString()) {
			return List.of(ContentPart.text(content.asString()));
		}
		if (!content.isArray()) {
			throw invalid("message content must be a string or an array of content parts");
		}
		List<ContentPart> parts = new ArrayList<>(content.size());
		for (int i = 0; i < content.size(); i++) {
			JsonNode part = content.get(i);
			String type = part.path("type").asString("?");
			String where = at + ".content[" + i + "]";
			switch (type) {
				case "text" -> parts.add(ContentPart.text(requiredString(part.path("text"), where + ".text")));
				case "refusal" -> parts.add(ContentPart.text(requiredString(part.path("refusal"), where + ".refusal")));
				case "image_url" -> {
					JsonNode image = part.path("image_url");
					String url = requiredString(image.path("url"), where + ".image_url.url");
					String detail = image.path("detail").isString() ? image.path("detail").asString() : null;
					parts.add(ContentPart.Image.ofUrl(url, detail));
				}
				default -> throw invalid("content part of type '" + type + "' (" + where + ") cannot be carried by "
						+ "this gateway: only text and image_url parts are (audio and files have no equivalent across "
						+ "its providers)");
			}
		}
		return parts;
	}

	private static ToolCall toolCall(JsonNode call, String at) {
		if (!"function".equals(call.path("type").asString("function"))) {
			throw invalid("'" + at + ".type' " + call.path("type") + " is not supported; only function tool calls are");
		}
		JsonNode function = call.path("function");
		// Missing arguments are "{}", as ToolCall itself makes them.
		String arguments = function.path("arguments").isString() ? function.path("arguments").asString() : "{}";
		return new ToolCall(requiredString(call.path("id"), at + ".id"),
				requiredString(function.path("name"), at + ".function.name"), arguments);
	}

	private static Tool tool(JsonNode tool, String at) {
		String type = tool.path("type").asString("?");
		if (!"function".equals(type)) {
			throw invalid("'" + at + ".type' " + type + " is not supported; only function tools are");
		}
		JsonNode function = tool.path("function");
		String name = requiredString(function.path("name"), at + ".function.name");
		JsonNode parameters = function.path("parameters");
		if (!parameters.isMissingNode() && !parameters.isNull() && !parameters.isObject()) {
			throw invalid("'" + at + ".function.parameters' must be a JSON Schema object");
		}
		Map<String, Object> schema = parameters.isObject() ? map(parameters) : Map.of();
		String description = function.path("description").isString() ? function.path("description").asString() : null;
		return new Tool(name, description, schema, function.path("strict").asBoolean(false));
	}

	private static ToolChoice toolChoice(JsonNode choice) {
		if (choice.isString()) {
			return switch (choice.asString()) {
				case "auto" -> ToolChoice.AUTO;
				case "none" -> ToolChoice.NONE;
				case "required" -> ToolChoice.REQUIRED;
				default -> throw invalid("'tool_choice' must be auto, none, required or a named function");
			};
		}
		if (choice.isObject() && "function".equals(choice.path("type").asString(""))) {
			return ToolChoice.named(requiredString(choice.path("function").path("name"), "tool_choice.function.name"));
		}
		throw invalid("'tool_choice' of type " + choice.path("type") + " is not supported; use auto, none, required "
				+ "or {\"type\": \"function\", \"function\": {\"name\": ...}}");
	}

	private static ResponseFormat responseFormat(JsonNode format) {
		String type = format.path("type").asString("?");
		return switch (type) {
			case "text" -> ResponseFormat.TEXT;
			case "json_object" -> ResponseFormat.JSON_OBJECT;
			case "json_schema" -> {
				JsonNode schema = format.path("json_schema");
				String name = requiredString(schema.path("name"), "response_format.json_schema.name");
				Map<String, Object> body = schema.path("schema").isObject() ? map(schema.path("schema")) : Map.of();
				String description = schema.path("description").isString() ? schema.path("description").asString()
						: null;
				yield new ResponseFormat.JsonSchema(name, description, body, schema.path("strict").asBoolean(false));
			}
			default -> throw invalid("'response_format.type' must be text, json_object or json_schema, was " + type);
		};
	}

	private static Map<String, Object> map(JsonNode object) {
		return json.convertValue(object, Map.class);
	}

	private static boolean present(Map<String, Object> extra, String name) {
		return extra.get(name) != null;
	}

	private static @Nullable JsonNode node(@Nullable Object value) {
		return (value != null) ? json.valueToTree(value) : null;
	}

	private static @Nullable String string(@Nullable Object value, String at) {
		if (value == null || value instanceof String) {
			return (String) value;
		}
		throw invalid("'" + at + "' must be a string");
	}

	private static String requiredString(JsonNode value, String at) {
		if (!value.isString()) {
			throw invalid("'" + at + "' must be a string");
		}
		return value.asString();
	}

	private static LlmException invalid(String message) {
		return ChatErrors.badRequest(message);
	}

}
