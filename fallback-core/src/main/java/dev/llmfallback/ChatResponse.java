package dev.llmfallback;

import java.util.List;
import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;

/**
 * The answer to a {@link ChatRequest}, with the record of how it was obtained.
 *
 * @param content the answer's text
 * @param finishReason why the model stopped ({@code stop}, {@code length}, ...), or {@code null}
 * @param servedBy the configured name of the model that answered
 * @param provider the configured name of that model's provider
 * @param providerModel the model id the provider reported, or {@code null}
 * @param usage the tokens the provider reported, or {@code null} where it reported none
 * @param attempts every call and skip of the walk, in order; the last one succeeded
 * @param toolCalls the tools the model called (finish reason {@code tool_calls}); empty for none
 * @param droppedParams the request's parameters the serving model's provider had no equivalent
 * for and that were left out because the policy sets {@code drop-unsupported-params}; empty when
 * nothing was dropped
 */
public record ChatResponse(String content, @Nullable String finishReason, String servedBy, String provider,
		@Nullable String providerModel, @Nullable Usage usage, List<Attempt> attempts, List<ToolCall> toolCalls,
		List<String> droppedParams) {

	public ChatResponse {
		Objects.requireNonNull(content, "content");
		Objects.requireNonNull(servedBy, "servedBy");
		Objects.requireNonNull(provider, "provider");
		attempts = List.copyOf(attempts);
		toolCalls = (toolCalls != null) ? List.copyOf(toolCalls) : List.of();
		droppedParams = (droppedParams != null) ? List.copyOf(droppedParams) : List.of();
	}

	/**
	 * A text answer: no tool calls, nothing dropped.
	 * @param content the answer's text
	 * @param finishReason why the model stopped, or {@code null}
	 * @param servedBy the configured name of the model that answered
	 * @param provider the configured name of that model's provider
	 * @param providerModel the model id the provider reported, or {@code null}
	 * @param usage the tokens the provider reported, or {@code null}
	 * @param attempts every call and skip of the walk
	 */
	public ChatResponse(String content, @Nullable String finishReason, String servedBy, String provider,
			@Nullable String providerModel, @Nullable Usage usage, List<Attempt> attempts) {
		this(content, finishReason, servedBy, provider, providerModel, usage, attempts, List.of(), List.of());
	}

	/**
	 * The answer as an assistant message, to append to the conversation (in a tool loop, before
	 * the tools' results).
	 * @return the message
	 */
	public ChatMessage message() {
		return ChatMessage.assistant(this.content, this.toolCalls);
	}

	/**
	 * How many times the walk moved from one model to another (skips included) before a model
	 * answered; 0 when the first model answered.
	 * @return the number of hops
	 */
	@JsonProperty("fallbacks")
	public int fallbacks() {
		return Attempt.hops(this.attempts);
	}

}
