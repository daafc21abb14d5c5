package dev.llmfallback;

import java.util.Objects;

/**
 * One message of a conversation: a role and its text.
 *
 * @param role who wrote the message
 * @param content the text, never {@code null} (may be empty)
 */
public record ChatMessage(Role role, String content) {

	public ChatMessage {
		Objects.requireNonNull(role, "role");
		content = (content != null) ? content : "";
	}

	public static ChatMessage system(String content) {
		return new ChatMessage(Role.SYSTEM, content);
	}

	public static ChatMessage user(String content) {
		return new ChatMessage(Role.USER, content);
	}

	public static ChatMessage assistant(String content) {
		return new ChatMessage(Role.ASSISTANT, content);
	}

	public static ChatMessage tool(String content) {
		return new ChatMessage(Role.TOOL, content);
	}

}
