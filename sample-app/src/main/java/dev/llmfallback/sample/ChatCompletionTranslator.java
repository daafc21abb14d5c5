package dev.llmfallback.sample;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

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
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * OpenAI's {@code CreateChatCompletionRequest} into a {@link ChatRequest}, field by field, so that
 * nothing reaches a model changed and nothing is dropped unseen: each field is translated into the
 * domain, or kept in {@link ChatRequest#extra()} under its own name (the wire formats translate
 * those or name the model {@code unsupported}), or refused with a 400 naming it when the answer
 * could not carry what it asks for ({@code n} above 1, log probabilities, audio output). The table
 * in docs/GATEWAY.md says which is which.
 */
final class ChatCompletionTranslator {

	/** OpenAI's own limit on tools per request; more is refused before any model is called. */
	static final int MAX_TOOLS = 128;

	private static final JsonMapper JSON = JsonMapper.builder().build();

	/** Message fields with no place in the domain: refused by name rather than lost. */
	private static final Set<String> MESSAGE_FIELDS_REFUSED = Set.of("audio", "function_call", "refusal");

	private ChatCompletionTranslator() {
	}

	/**
	 * The domain request of a chat completion request (its model, stream flag and stream options
	 * are read by the caller).
	 * @param body the request
	 * @return the request
	 * @throws LlmException of category {@code bad_request} naming what is wrong or refused
	 */
	static ChatRequest translate(ChatCompletionRequest body) {
		ChatRequest.Builder request = ChatRequest.builder();
		for (int i = 0; i < body.messages().size(); i++) {
			request.message(message(body.messages().get(i), i));
		}
		request.temperature(finite(body.temperature(), "temperature"));
		request.topP(finite(body.topP(), "top_p"));
		request.maxTokens((body.maxCompletionTokens() != null) ? body.maxCompletionTokens() : body.maxTokens());
		stop(body.stop(), request);
		if (body.user() != null) {
			request.endUser(body.user());
		}
		tools(body.tools(), request);
		if (body.toolChoice() != null && !body.toolChoice().isNull()) {
			request.toolChoice(toolChoice(body.toolChoice()));
		}
		request.parallelToolCalls(body.parallelToolCalls());
		if (body.responseFormat() != null && !body.responseFormat().isNull()) {
			request.responseFormat(responseFormat(body.responseFormat()));
		}
		extra(body.extra(), request);
		return request.build();
	}

	private static ChatMessage message(ChatCompletionMessage message, int index) {
		String at = "messages[" + index + "]";
		if (message == null || message.role() == null) {
			throw invalid("each message needs a 'role' and 'content'");
		}
		if (!message.extra().isEmpty()) {
			String field = message.extra().keySet().iterator().next();
			throw invalid("Unsupported message field '" + at + "." + field + "'"
					+ (MESSAGE_FIELDS_REFUSED.contains(field) ? ": the gateway cannot carry it" : ": not part of the chat completions API"));
		}
		Role role = role(message.role());
		List<ContentPart> parts = parts(message.content(), at);
		List<ToolCall> calls = toolCalls(message.toolCalls(), at);
		if (!calls.isEmpty() && role != Role.ASSISTANT) {
			throw invalid("'" + at + ".tool_calls' is only allowed on an assistant message");
		}
		if (message.toolCallId() != null && role != Role.TOOL) {
			throw invalid("'" + at + ".tool_call_id' is only allowed on a tool message");
		}
		if (role == Role.TOOL && message.toolCallId() == null) {
			throw invalid("'" + at + ".tool_call_id' is required on a tool message");
		}
		return new ChatMessage(role, parts, calls, message.toolCallId(), message.name());
	}

	private static Role role(String role) {
		if (role.equals("developer")) {
			return Role.SYSTEM;
		}
		if (role.equals("function")) {
			throw invalid("the deprecated 'function' role is not supported; send tool results as role 'tool' with 'tool_call_id'");
		}
		try {
			return Role.fromId(role);
		}
		catch (IllegalArgumentException ex) {
			throw invalid("unknown message role '" + role + "'");
		}
	}

	/** Content is a string, null (an assistant turn of tool calls), or an array of text and image parts. */
	private static List<ContentPart> parts(JsonNode content, String at) {
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
		for (JsonNode part : content) {
			String type = part.path("type").asString("");
			if (type.equals("text") && part.path("text").isString()) {
				parts.add(ContentPart.text(part.path("text").asString()));
			}
			else if (type.equals("image_url") && part.path("image_url").path("url").isString()) {
				JsonNode image = part.path("image_url");
				parts.add(ContentPart.Image.ofUrl(image.path("url").asString(),
						image.path("detail").isString() ? image.path("detail").asString() : null));
			}
			else if (type.equals("refusal") && part.path("refusal").isString()) {
				parts.add(ContentPart.text(part.path("refusal").asString()));
			}
			else {
				throw invalid("content part of type '" + (type.isEmpty() ? "?" : type) + "' in '" + at
						+ ".content' is not supported by this gateway (text and image_url are)");
			}
		}
		return parts;
	}

	private static List<ToolCall> toolCalls(JsonNode calls, String at) {
		if (calls == null || calls.isNull()) {
			return List.of();
		}
		if (!calls.isArray()) {
			throw invalid("'" + at + ".tool_calls' must be an array");
		}
		List<ToolCall> result = new ArrayList<>(calls.size());
		for (JsonNode call : calls) {
			JsonNode function = call.path("function");
			if (!call.path("id").isString() || !function.path("name").isString()) {
				throw invalid("each of '" + at + ".tool_calls' needs an 'id' and a 'function' with a 'name'");
			}
			if (call.has("type") && !"function".equals(call.path("type").asString(""))) {
				throw invalid("tool call type '" + call.path("type").asString("?") + "' in '" + at
						+ ".tool_calls' is not supported (function is)");
			}
			String arguments = function.path("arguments").isString() ? function.path("arguments").asString() : "{}";
			result.add(new ToolCall(call.path("id").asString(), function.path("name").asString(), arguments));
		}
		return result;
	}

	private static void tools(JsonNode tools, ChatRequest.Builder request) {
		if (tools == null || tools.isNull()) {
			return;
		}
		if (!tools.isArray()) {
			throw invalid("'tools' must be an array");
		}
		if (tools.size() > MAX_TOOLS) {
			throw invalid("'tools' has " + tools.size() + " tools; at most " + MAX_TOOLS + " are allowed");
		}
		for (JsonNode tool : tools) {
			if (!"function".equals(tool.path("type").asString(""))) {
				throw invalid("tool type '" + tool.path("type").asString("?") + "' is not supported (function is)");
			}
			JsonNode function = tool.path("function");
			if (!function.path("name").isString()) {
				throw invalid("each tool needs a 'function' with a 'name'");
			}
			JsonNode parameters = function.path("parameters");
			if (!parameters.isMissingNode() && !parameters.isNull() && !parameters.isObject()) {
				throw invalid("the parameters of tool '" + function.path("name").asString() + "' must be a JSON Schema object");
			}
			request.tool(new Tool(function.path("name").asString(),
					function.path("description").isString() ? function.path("description").asString() : null,
					parameters.isObject() ? map(parameters) : Map.of(), function.path("strict").asBoolean(false)));
		}
	}

	private static ToolChoice toolChoice(JsonNode choice) {
		if (choice.isString()) {
			String mode = choice.asString();
			if (!mode.equals("auto") && !mode.equals("none") && !mode.equals("required")) {
				throw invalid("'tool_choice' must be auto, none, required or a named function, was '" + mode + "'");
			}
			return ToolChoice.of(mode);
		}
		if ("function".equals(choice.path("type").asString("")) && choice.path("function").path("name").isString()) {
			return ToolChoice.named(choice.path("function").path("name").asString());
		}
		throw invalid("'tool_choice' must be auto, none, required or {\"type\": \"function\", \"function\": {\"name\": ...}}");
	}

	private static ResponseFormat responseFormat(JsonNode format) {
		String type = format.path("type").asString("");
		switch (type) {
			case "text":
				return ResponseFormat.TEXT;
			case "json_object":
				return ResponseFormat.JSON_OBJECT;
			case "json_schema":
				JsonNode schema = format.path("json_schema");
				if (!schema.path("name").isString() || !schema.path("schema").isObject()) {
					throw invalid("'response_format.json_schema' needs a 'name' and a 'schema' object");
				}
				return new ResponseFormat.JsonSchema(schema.path("name").asString(),
						schema.path("description").isString() ? schema.path("description").asString() : null,
						map(schema.path("schema")), schema.path("strict").asBoolean(false));
			default:
				throw invalid("'response_format.type' must be text, json_object or json_schema, was '" + type + "'");
		}
	}

	/**
	 * The other fields: kept under their own names, except those whose answer a chat completion
	 * from this gateway could not carry (several choices, log probabilities, audio).
	 */
	private static void extra(Map<String, Object> extra, ChatRequest.Builder request) {
		extra.forEach((name, value) -> {
			switch (name) {
				case "n" -> {
					if (!(value instanceof Number number && number.intValue() == 1)) {
						throw invalid("'n' other than 1 is not supported: the gateway answers one choice");
					}
				}
				case "logprobs" -> {
					if (Boolean.TRUE.equals(value)) {
						throw invalid("'logprobs' is not supported: the gateway's answers carry no log probabilities");
					}
				}
				case "top_logprobs" -> throw invalid("'top_logprobs' is not supported: the gateway's answers carry no log probabilities");
				case "audio" -> throw invalid("'audio' is not supported: the gateway answers text");
				case "modalities" -> {
					if (!(value instanceof List<?> list && list.stream().allMatch("text"::equals))) {
						throw invalid("'modalities' other than [\"text\"] is not supported: the gateway answers text");
					}
				}
				case "functions", "function_call" -> throw invalid("'" + name
						+ "' is deprecated and not supported; use 'tools' and 'tool_choice'");
				default -> request.extra(name, value);
			}
		});
	}

	private static void stop(JsonNode stop, ChatRequest.Builder request) {
		if (stop == null || stop.isNull()) {
			return;
		}
		if (stop.isString()) {
			request.stop(stop.asString());
		}
		else if (stop.isArray() && stop.valueStream().allMatch(JsonNode::isString)) {
			stop.valueStream().forEach((value) -> request.stop(value.asString()));
		}
		else {
			throw invalid("'stop' must be a string or an array of strings");
		}
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> map(JsonNode object) {
		return JSON.convertValue(object, Map.class);
	}

	private static Double finite(Double value, String name) {
		if (value != null && !Double.isFinite(value)) {
			throw invalid("'" + name + "' must be a finite number");
		}
		return value;
	}

	private static LlmException invalid(String message) {
		return ChatErrors.badRequest(message);
	}

}
