package dev.llmfallback.provider.anthropic;

import java.util.List;
import java.util.regex.Pattern;

import dev.llmfallback.ChatMessage;
import dev.llmfallback.ContentPart;
import dev.llmfallback.ErrorCategory;
import dev.llmfallback.LlmException;
import dev.llmfallback.Role;
import dev.llmfallback.ToolCall;
import dev.llmfallback.provider.http.Json;
import dev.llmfallback.provider.http.ToolCallIds;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The conversation as Messages API turns (https://platform.claude.com/docs/en/api/messages):
 * system messages to the top-level {@code system}; text and image blocks (image {@code source}
 * {@code base64} with its {@code media_type}, or {@code url}); the assistant's tool calls as
 * {@code tool_use} blocks; tool results as {@code tool_result} blocks of a user turn, consecutive
 * results (and a user message right after them) in one turn, since the results must follow the
 * assistant's turn immediately. A message of one text part keeps the plain-string content.
 */
final class AnthropicContent {

	/** The ids {@code tool_use} and {@code tool_result} accept. */
	static final Pattern TOOL_ID = Pattern.compile("[a-zA-Z0-9_-]+");

	private AnthropicContent() {
	}

	/**
	 * Puts the conversation into {@code body}.
	 * @param body the request body
	 * @param messages the conversation
	 * @param system receives the text of the system messages
	 * @throws LlmException ({@code bad_request}) for a tool call whose arguments are not a JSON object
	 */
	static void write(ObjectNode body, List<ChatMessage> messages, List<String> system) {
		ArrayNode turns = body.putArray("messages");
		// The user turn holding tool results, which the next results and user text join.
		ArrayNode results = null;
		for (ChatMessage message : messages) {
			Role role = message.role();
			if (role == Role.SYSTEM) {
				system.add(message.content());
			}
			else if (role == Role.TOOL && message.toolCallId() != null) {
				if (results == null) {
					results = turns.addObject().put("role", "user").putArray("content");
				}
				results.add(toolResult(message, message.toolCallId()));
			}
			else if (role == Role.ASSISTANT) {
				results = null;
				assistant(turns.addObject().put("role", "assistant"), message);
			}
			else if (results != null) {
				// User text after tool results joins their turn (results first, as the API wants).
				blocks(results, message.parts());
				results = null;
			}
			else {
				// Anthropic has only user and assistant turns; a tool result without a call id is user text.
				content(turns.addObject().put("role", "user"), message.parts());
			}
		}
	}

	private static void assistant(ObjectNode turn, ChatMessage message) {
		if (message.toolCalls().isEmpty()) {
			content(turn, message.parts());
			return;
		}
		ArrayNode blocks = turn.putArray("content");
		blocks(blocks, message.parts());
		for (ToolCall call : message.toolCalls()) {
			blocks.addObject()
				.put("type", "tool_use")
				.put("id", ToolCallIds.fit(call.id(), TOOL_ID))
				.put("name", call.name())
				.set("input", arguments(call));
		}
	}

	private static ObjectNode toolResult(ChatMessage message, String toolCallId) {
		ObjectNode result = Json.object()
			.put("type", "tool_result")
			.put("tool_use_id", ToolCallIds.fit(toolCallId, TOOL_ID));
		content(result, message.parts());
		return result;
	}

	/** {@code content}: a string for text alone, else blocks. */
	private static void content(ObjectNode target, List<ContentPart> parts) {
		if (parts.size() <= 1 && (parts.isEmpty() || parts.get(0) instanceof ContentPart.Text)) {
			target.put("content", parts.isEmpty() ? "" : ((ContentPart.Text) parts.get(0)).text());
		}
		else {
			blocks(target.putArray("content"), parts);
		}
	}

	private static void blocks(ArrayNode blocks, List<ContentPart> parts) {
		for (ContentPart part : parts) {
			if (part instanceof ContentPart.Text text) {
				// The API refuses empty text blocks.
				if (!text.text().isEmpty()) {
					blocks.addObject().put("type", "text").put("text", text.text());
				}
			}
			else if (part instanceof ContentPart.Image image) {
				blocks.addObject().put("type", "image").set("source", source(image));
			}
		}
	}

	private static ObjectNode source(ContentPart.Image image) {
		ObjectNode source = Json.object();
		if (image.isData()) {
			return source.put("type", "base64").put("media_type", image.mediaType()).put("data", image.data());
		}
		return source.put("type", "url").put("url", image.url());
	}

	/** The call's arguments as the object {@code input} must be. */
	private static JsonNode arguments(ToolCall call) {
		JsonNode input = null;
		try {
			input = Json.MAPPER.readTree(call.arguments());
		}
		catch (JacksonException ex) {
			// Not JSON: said below.
		}
		if (input == null || !input.isObject()) {
			throw badArguments(call);
		}
		return input;
	}

	private static LlmException badArguments(ToolCall call) {
		return LlmException.builder(ErrorCategory.BAD_REQUEST)
			.message("the arguments of tool call '" + call.id() + "' (" + call.name()
					+ ") are not a JSON object, which Anthropic's tool_use input must be")
			.build();
	}

}
