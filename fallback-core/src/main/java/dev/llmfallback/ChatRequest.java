package dev.llmfallback;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonIgnore;
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
 * @param extra further parameters, named as in OpenAI's Chat Completions API (e.g. {@code seed},
 * {@code presence_penalty}): each wire format translates those it has an equivalent for, a name of
 * that API it has none for makes the model {@code unsupported} (or is dropped and named, where the
 * policy allows), and any other name is passed through as it is
 * @param tools the functions the model may call (empty for none)
 * @param toolChoice whether and which tool the model must call, or {@code null} for the
 * provider's default
 * @param parallelToolCalls whether the model may call several tools in one turn, or {@code null}
 * for the provider's default
 * @param responseFormat the shape of the answer, or {@code null} for free text
 *
 * <p>Over 300 lines: a record, its checks and its builder; about half is the builder, which a user
 * reads beside the record.
 */
public record ChatRequest(List<ChatMessage> messages, @Nullable String policy, @Nullable Double temperature,
		@Nullable Integer maxTokens, @Nullable Double topP, List<String> stop, @Nullable String user, Map<String, String> metadata, Map<String, Object> extra,
		List<Tool> tools, @Nullable ToolChoice toolChoice, @Nullable Boolean parallelToolCalls,
		@Nullable ResponseFormat responseFormat) {

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
		tools = (tools != null) ? List.copyOf(tools) : List.of();
		checkTools(tools, toolChoice);
	}

	/**
	 * A request without tools or response format.
	 * @param messages the conversation, at least one message
	 * @param policy the policy to use, or {@code null} for the default policy
	 * @param temperature sampling temperature, or {@code null}
	 * @param maxTokens the most tokens the answer may have, or {@code null}
	 * @param topP nucleus sampling, or {@code null}
	 * @param stop sequences that end the answer
	 * @param user an end-user id, or {@code null}
	 * @param metadata caller data kept with the request
	 * @param extra further parameters (see the canonical constructor)
	 */
	public ChatRequest(List<ChatMessage> messages, @Nullable String policy, @Nullable Double temperature,
			@Nullable Integer maxTokens, @Nullable Double topP, @Nullable List<String> stop, @Nullable String user,
			@Nullable Map<String, String> metadata, @Nullable Map<String, Object> extra) {
		this(messages, policy, temperature, maxTokens, topP, (stop != null) ? stop : List.of(), user,
				(metadata != null) ? metadata : Map.of(), (extra != null) ? extra : Map.of(), List.of(), null, null,
				null);
	}

	private static void checkTools(List<Tool> tools, @Nullable ToolChoice toolChoice) {
		for (int i = 0; i < tools.size(); i++) {
			Tool tool = tools.get(i);
			if (tool == null) {
				throw badRequest("tools must not contain null");
			}
			for (int j = 0; j < i; j++) {
				if (tools.get(j).name().equals(tool.name())) {
					throw badRequest("two tools are named '" + tool.name() + "'");
				}
			}
		}
		if (toolChoice instanceof ToolChoice.Named named
				&& tools.stream().noneMatch((tool) -> tool.name().equals(named.name()))) {
			throw badRequest("tool choice names '" + named.name() + "', which is not one of the request's tools");
		}
	}

	/**
	 * Whether the request asks more than text of a model: tools, images, a response format.
	 * @return {@code true} for a text-only request
	 */
	@JsonIgnore
	public boolean textOnly() {
		if (!this.tools.isEmpty() || this.responseFormat != null || this.toolChoice != null) {
			return false;
		}
		for (ChatMessage message : this.messages) {
			if (!message.toolCalls().isEmpty() || !message.textOnly()) {
				return false;
			}
		}
		return true;
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
		builder.tools.addAll(this.tools);
		builder.toolChoice = this.toolChoice;
		builder.parallelToolCalls = this.parallelToolCalls;
		builder.responseFormat = this.responseFormat;
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

		private final List<Tool> tools = new ArrayList<>();

		private @Nullable ToolChoice toolChoice;

		private @Nullable Boolean parallelToolCalls;

		private @Nullable ResponseFormat responseFormat;

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

		/**
		 * Adds a tool the model may call.
		 * @param tool the tool
		 * @return this builder
		 */
		public Builder tool(Tool tool) {
			this.tools.add(tool);
			return this;
		}

		public Builder tools(List<Tool> tools) {
			this.tools.addAll(tools);
			return this;
		}

		public Builder toolChoice(@Nullable ToolChoice toolChoice) {
			this.toolChoice = toolChoice;
			return this;
		}

		public Builder parallelToolCalls(@Nullable Boolean parallelToolCalls) {
			this.parallelToolCalls = parallelToolCalls;
			return this;
		}

		public Builder responseFormat(@Nullable ResponseFormat responseFormat) {
			this.responseFormat = responseFormat;
			return this;
		}

		public ChatRequest build() {
			return new ChatRequest(this.messages, this.policy, this.temperature, this.maxTokens, this.topP,
					this.stop, this.user, this.metadata, this.extra, this.tools, this.toolChoice,
					this.parallelToolCalls, this.responseFormat);
		}

	}

}
