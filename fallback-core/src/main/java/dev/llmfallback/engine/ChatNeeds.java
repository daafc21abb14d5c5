package dev.llmfallback.engine;

import dev.llmfallback.ChatMessage;
import dev.llmfallback.ChatRequest;
import dev.llmfallback.ContentPart;
import dev.llmfallback.ResponseFormat;
import dev.llmfallback.Role;

/**
 * What a chat request needs of a model, read once per request in one pass over its messages:
 * {@code tools} when it defines tools or its conversation holds tool calls or tool results,
 * {@code vision} when a message holds an image, {@code json-schema} when its answer must match a
 * schema; and whether any model's provider must be asked what it cannot carry ({@link Needs#PARAMS}).
 *
 * <p>A plain text request (text parts only, no tools, no response format, nothing in {@code extra},
 * no end-user id, no author names) needs nothing and asks no provider: the text path costs what it
 * cost before rich chat.
 */
final class ChatNeeds {

	private ChatNeeds() {
	}

	/**
	 * @param request the request
	 * @return its {@link Needs} bits (streaming aside: the operation adds it)
	 */
	static int of(ChatRequest request) {
		if (request.textOnly() && plainText(request)) {
			return Needs.NONE;
		}
		int needs = Needs.PARAMS;
		if (!request.tools().isEmpty()) {
			needs |= Needs.TOOLS;
		}
		if (request.responseFormat() instanceof ResponseFormat.JsonSchema) {
			needs |= Needs.JSON_SCHEMA;
		}
		for (ChatMessage message : request.messages()) {
			if (!message.toolCalls().isEmpty() || message.toolCallId() != null || message.role() == Role.TOOL) {
				needs |= Needs.TOOLS;
			}
			if (!message.textOnly()) {
				needs |= Needs.VISION;
			}
		}
		return needs;
	}

	/**
	 * Whether a text-only request also holds nothing else a provider may lack: no extra parameter,
	 * end-user id, tool choice flag, author name or tool result.
	 */
	private static boolean plainText(ChatRequest request) {
		if (!request.extra().isEmpty() || request.user() != null || request.parallelToolCalls() != null) {
			return false;
		}
		for (ChatMessage message : request.messages()) {
			if (message.name() != null || message.role() == Role.TOOL) {
				return false;
			}
		}
		return true;
	}

	/**
	 * @param request the request
	 * @return how many image parts its messages hold
	 */
	static int images(ChatRequest request) {
		int images = 0;
		for (ChatMessage message : request.messages()) {
			for (ContentPart part : message.parts()) {
				if (part instanceof ContentPart.Image) {
					images++;
				}
			}
		}
		return images;
	}

}
