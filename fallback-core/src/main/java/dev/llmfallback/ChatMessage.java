package dev.llmfallback;

import java.util.List;
import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;

/**
 * One message of a conversation: a role, its content parts (text, images), and for the assistant
 * the tool calls it made, for a {@code tool} message the id of the call it answers.
 * {@link #user(String)} and its siblings make the common one-text-part message.
 *
 * @param role who wrote the message
 * @param parts the content, in order (text and images; empty for an assistant message holding
 * only tool calls)
 * @param toolCalls on an assistant message, the tools it called; else empty
 * @param toolCallId on a {@code tool} message, the id of the call whose result it carries, or
 * {@code null}
 * @param name an optional name of the author (OpenAI's {@code name}), or {@code null}
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record ChatMessage(Role role, List<ContentPart> parts, List<ToolCall> toolCalls, @Nullable String toolCallId,
		@Nullable String name) {

	public ChatMessage {
		Objects.requireNonNull(role, "role");
		parts = (parts != null) ? List.copyOf(parts) : List.of();
		toolCalls = (toolCalls != null) ? List.copyOf(toolCalls) : List.of();
		if (!toolCalls.isEmpty() && role != Role.ASSISTANT) {
			throw badRequest("only an assistant message carries tool calls, not a " + role + " message");
		}
		if (toolCallId != null && role != Role.TOOL) {
			throw badRequest("only a tool message answers a tool call id, not a " + role + " message");
		}
	}

	/**
	 * A message of one text part.
	 * @param role who wrote it
	 * @param content the text ({@code null} for empty)
	 */
	public ChatMessage(Role role, @Nullable String content) {
		this(role, List.of(new ContentPart.Text((content != null) ? content : "")), List.of(), null, null);
	}

	/**
	 * Reads a message from JSON: {@code role} and either {@code content} (text) or {@code parts},
	 * with {@code toolCalls}, {@code toolCallId} and {@code name} where they apply.
	 * @param role who wrote it
	 * @param content the text, or {@code null}
	 * @param parts the content parts, or {@code null}
	 * @param toolCalls the assistant's tool calls, or {@code null}
	 * @param toolCallId the id of the call a tool message answers, or {@code null}
	 * @param name the author's name, or {@code null}
	 * @return the message
	 */
	@JsonCreator
	static ChatMessage fromJson(@JsonProperty("role") Role role, @JsonProperty("content") @Nullable String content,
			@JsonProperty("parts") @Nullable List<ContentPart> parts,
			@JsonProperty("toolCalls") @Nullable List<ToolCall> toolCalls,
			@JsonProperty("toolCallId") @Nullable String toolCallId, @JsonProperty("name") @Nullable String name) {
		if (parts != null && !parts.isEmpty()) {
			if (content != null) {
				throw badRequest("a message has either content or parts, not both");
			}
			return new ChatMessage(role, parts, (toolCalls != null) ? toolCalls : List.of(), toolCallId, name);
		}
		List<ContentPart> text = (content == null || (content.isEmpty() && toolCalls != null && !toolCalls.isEmpty()))
				? List.of() : List.of(new ContentPart.Text(content));
		return new ChatMessage(role, text, (toolCalls != null) ? toolCalls : List.of(), toolCallId, name);
	}

	public static ChatMessage system(String content) {
		return new ChatMessage(Role.SYSTEM, content);
	}

	public static ChatMessage user(String content) {
		return new ChatMessage(Role.USER, content);
	}

	/**
	 * A user message of several parts, e.g. a question and an image.
	 * @param parts the parts, in order
	 * @return the message
	 */
	public static ChatMessage user(ContentPart... parts) {
		return new ChatMessage(Role.USER, List.of(parts), List.of(), null, null);
	}

	public static ChatMessage assistant(String content) {
		return new ChatMessage(Role.ASSISTANT, content);
	}

	/**
	 * An assistant turn that called tools, to send back with their results in a tool loop.
	 * @param content the text the model gave with the calls ({@code null} or empty for none)
	 * @param toolCalls the calls
	 * @return the message
	 */
	public static ChatMessage assistant(@Nullable String content, List<ToolCall> toolCalls) {
		List<ContentPart> parts = (content == null || content.isEmpty()) ? List.of()
				: List.of(new ContentPart.Text(content));
		return new ChatMessage(Role.ASSISTANT, parts, toolCalls, null, null);
	}

	/**
	 * A {@code tool} message without the id of the call it answers (formats that match results by
	 * id need {@link #toolResult(String, String)}).
	 * @param content the result
	 * @return the message
	 */
	public static ChatMessage tool(String content) {
		return new ChatMessage(Role.TOOL, content);
	}

	/**
	 * The result of a tool call, answering the call with this id.
	 * @param toolCallId the id of the {@link ToolCall}
	 * @param content the result (often JSON text)
	 * @return the message
	 */
	public static ChatMessage toolResult(String toolCallId, String content) {
		Objects.requireNonNull(toolCallId, "toolCallId");
		return new ChatMessage(Role.TOOL, List.of(new ContentPart.Text(content)), List.of(), toolCallId, null);
	}

	/**
	 * The message's text: its text parts joined, without images.
	 * @return the text, empty when there is none
	 */
	@JsonProperty("content")
	public String content() {
		if (this.parts.size() == 1 && this.parts.get(0) instanceof ContentPart.Text text) {
			return text.text();
		}
		StringBuilder joined = new StringBuilder();
		for (ContentPart part : this.parts) {
			if (part instanceof ContentPart.Text text) {
				joined.append(text.text());
			}
		}
		return joined.toString();
	}

	/** @return whether every part is text (no image) */
	@JsonIgnore
	public boolean textOnly() {
		for (ContentPart part : this.parts) {
			if (!(part instanceof ContentPart.Text)) {
				return false;
			}
		}
		return true;
	}

	private static LlmException badRequest(String message) {
		return LlmException.builder(ErrorCategory.BAD_REQUEST).message(message).build();
	}

}
