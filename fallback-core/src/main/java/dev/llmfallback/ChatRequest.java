package dev.llmfallback;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * What a caller asks of a policy: the conversation and the generation parameters. Immutable;
 * build one with {@link #of(String)}, {@link #of(ChatMessage...)} or {@link #builder()}.
 *
 * <p>A request without messages, or with a negative parameter, is invalid: constructing it throws
 * an {@link LlmException} of category {@link ErrorCategory#BAD_REQUEST}, so no model is ever called
 * for it.
 *
 * @param messages the conversation, at least one message
 * @param policy the policy to use, or {@code null} for the default policy
 * @param temperature sampling temperature, or {@code null} for the provider's default
 * @param maxTokens the most tokens the answer may have, or {@code null}
 * @param topP nucleus sampling, or {@code null}
 * @param stop sequences that end the answer (empty for none)
 * @param user an end-user id for the provider's abuse monitoring, or {@code null}
 * @param metadata caller data kept with the request, never sent to providers
 * @param extra provider parameters passed through as they are (e.g. {@code seed},
 * {@code response_format})
 */
public record ChatRequest(List<ChatMessage> messages, @Nullable String policy, @Nullable Double temperature,
		@Nullable Integer maxTokens, @Nullable Double topP, List<String> stop, @Nullable String user, Map<String, String> metadata, Map<String, Object> extra) {

	public ChatRequest {
		if (messages == null || messages.isEmpty()) {
			throw badRequest("a chat request needs at least one message");
		}
		for (ChatMessage message : messages) {
			if (message == null) {
				throw badRequest("messages must not contain null");
			}
		}
		if (temperature != null && (!Double.isFinite(temperature) || temperature < 0)) {
			throw badRequest("temperature must be a finite number >= 0, was " + temperature);
		}
		if (maxTokens != null && maxTokens <= 0) {
			throw badRequest("maxTokens must be > 0, was " + maxTokens);
		}
		if (topP != null && (topP.isNaN() || topP < 0 || topP > 1)) {
			throw badRequest("topP must be between 0 and 1, was " + topP);
		}
		messages = List.copyOf(messages);
		stop = (stop != null) ? List.copyOf(stop) : List.of();
		metadata = (metadata != null) ? Collections.unmodifiableMap(new LinkedHashMap<>(metadata)) : Map.of();
		extra = (extra != null) ? Collections.unmodifiableMap(new LinkedHashMap<>(extra)) : Map.of();
	}

	private static LlmException badRequest(String message) {
		return LlmException.builder(ErrorCategory.BAD_REQUEST).message(message).build();
	}

	/**
	 * A request with one user message, for the default policy.
	 * @param prompt the user's text
	 * @return the request
	 */
	public static ChatRequest of(String prompt) {
		return new ChatRequest(List.of(ChatMessage.user(prompt)), null, null, null, null, null, null, null, null);
	}

	/**
	 * A request with the given messages, for the default policy.
	 * @param messages the conversation
	 * @return the request
	 */
	public static ChatRequest of(ChatMessage... messages) {
		return new ChatRequest(List.of(messages), null, null, null, null, null, null, null, null);
	}

	public static Builder builder() {
		return new Builder();
	}

	/**
	 * A builder that starts from this request, to derive a changed copy.
	 * @return a builder holding this request's values
	 */
	public Builder toBuilder() {
		Builder builder = new Builder();
		builder.messages.addAll(this.messages);
		builder.policy = this.policy;
		builder.temperature = this.temperature;
		builder.maxTokens = this.maxTokens;
		builder.topP = this.topP;
		builder.stop.addAll(this.stop);
		builder.user = this.user;
		builder.metadata.putAll(this.metadata);
		builder.extra.putAll(this.extra);
		return builder;
	}

	/** Builds a {@link ChatRequest}. Not thread-safe. */
	public static final class Builder {

		private final List<ChatMessage> messages = new ArrayList<>();

		private @Nullable String policy;

		private @Nullable Double temperature;

		private @Nullable Integer maxTokens;

		private @Nullable Double topP;

		private final List<String> stop = new ArrayList<>();

		private @Nullable String user;

		private final Map<String, String> metadata = new LinkedHashMap<>();

		private final Map<String, Object> extra = new LinkedHashMap<>();

		private Builder() {
		}

		/**
		 * Adds a message.
		 * @param message the message
		 * @return this builder
		 * @throws LlmException of category {@code bad_request} for {@code null}, as the request
		 * itself would (a JSON body with {@code "messages": [null]} is the caller's fault)
		 */
		public Builder message(ChatMessage message) {
			if (message == null) {
				throw badRequest("messages must not contain null");
			}
			this.messages.add(message);
			return this;
		}

		public Builder messages(List<ChatMessage> messages) {
			messages.forEach(this::message);
			return this;
		}

		public Builder system(String content) {
			return message(ChatMessage.system(content));
		}

		/**
		 * Adds a user message, as {@link #system(String)} and {@link #assistant(String)} add theirs.
		 * The end-user id (the request's {@code user} field) is set with {@link #endUser(String)}.
		 * @param content the message's text
		 * @return this builder
		 */
		public Builder user(String content) {
			return message(ChatMessage.user(content));
		}

		public Builder assistant(String content) {
			return message(ChatMessage.assistant(content));
		}

		public Builder policy(@Nullable String policy) {
			this.policy = policy;
			return this;
		}

		public Builder temperature(@Nullable Double temperature) {
			this.temperature = temperature;
			return this;
		}

		public Builder maxTokens(@Nullable Integer maxTokens) {
			this.maxTokens = maxTokens;
			return this;
		}

		public Builder topP(@Nullable Double topP) {
			this.topP = topP;
			return this;
		}

		public Builder stop(String... stop) {
			this.stop.addAll(List.of(stop));
			return this;
		}

		/**
		 * Sets the request's {@code user} field: an end-user id passed to the provider for its abuse
		 * monitoring ({@link ChatRequest#user()}). Named apart from {@link #user(String)}, which adds
		 * a user message.
		 * @param user the end-user id, or {@code null}
		 * @return this builder
		 */
		public Builder endUser(@Nullable String user) {
			this.user = user;
			return this;
		}

		public Builder metadata(String key, String value) {
			this.metadata.put(key, value);
			return this;
		}

		public Builder extra(String key, Object value) {
			this.extra.put(key, value);
			return this;
		}

		public ChatRequest build() {
			return new ChatRequest(this.messages, this.policy, this.temperature, this.maxTokens, this.topP,
					this.stop, this.user, this.metadata, this.extra);
		}

	}

}
