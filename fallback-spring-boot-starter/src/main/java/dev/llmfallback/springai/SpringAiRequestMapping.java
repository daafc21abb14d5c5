package dev.llmfallback.springai;

import java.net.URI;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import org.jspecify.annotations.Nullable;
import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.messages.Message;
import org.springframework.ai.chat.messages.SystemMessage;
import org.springframework.ai.chat.messages.ToolResponseMessage;
import org.springframework.ai.chat.messages.UserMessage;
import org.springframework.ai.chat.prompt.ChatOptions;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.ai.content.Media;
import org.springframework.ai.model.tool.StructuredOutputChatOptions;
import org.springframework.ai.model.tool.ToolCallingChatOptions;
import org.springframework.ai.tool.ToolCallback;
import org.springframework.ai.tool.definition.ToolDefinition;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.util.MimeType;

import dev.llmfallback.ChatMessage;
import dev.llmfallback.ChatRequest;
import dev.llmfallback.ContentPart;
import dev.llmfallback.ResponseFormat;
import dev.llmfallback.Tool;
import dev.llmfallback.ToolCall;
import dev.llmfallback.provider.http.Json;
import dev.llmfallback.provider.http.OpenAiParams;

/**
 * Our request as a Spring AI {@link Prompt} for a wrapped {@code ChatModel}, starting from that
 * model's own default options. What Spring AI's portable options have no field for is named by
 * {@link #unsupportedParams}: {@code tool_choice}, {@code parallel_tool_calls}, {@code user},
 * {@code response_format} of type {@code json_object} (and {@code json_schema} unless the model's
 * options take an output schema), author names, and {@code extra} other than the penalties and
 * {@code top_k}.
 */
final class SpringAiRequestMapping {

	/** The {@code extra} names the portable options carry. */
	private static final Set<String> TRANSLATED = Set.of("frequency_penalty", "presence_penalty", "top_k");

	private SpringAiRequestMapping() {
	}

	static List<String> unsupportedParams(ChatRequest request, @Nullable ChatOptions defaults) {
		List<String> names = new ArrayList<>(OpenAiParams.untranslated(request.extra(), TRANSLATED));
		if (request.toolChoice() != null) {
			names.add("tool_choice");
		}
		if (request.parallelToolCalls() != null) {
			names.add("parallel_tool_calls");
		}
		if (request.user() != null) {
			names.add("user");
		}
		if (!request.tools().isEmpty() && defaults != null && !(defaults instanceof ToolCallingChatOptions)) {
			names.add("tools");
		}
		if (request.responseFormat() instanceof ResponseFormat.JsonObject
				|| (request.responseFormat() instanceof ResponseFormat.JsonSchema
						&& !(defaults instanceof StructuredOutputChatOptions))) {
			names.add("response_format");
		}
		if (request.messages().stream().anyMatch((message) -> message.name() != null)) {
			names.add(OpenAiParams.MESSAGE_NAME);
		}
		return names;
	}

	@SuppressWarnings({ "rawtypes", "unchecked" })
	static Prompt prompt(String model, ChatRequest request, @Nullable ChatOptions defaults, List<String> dropped) {
		ChatOptions.Builder builder = (defaults != null) ? defaults.mutate() : ToolCallingChatOptions.builder();
		builder.model(model);
		if (request.temperature() != null) {
			builder.temperature(request.temperature());
		}
		if (request.maxTokens() != null) {
			builder.maxTokens(request.maxTokens());
		}
		if (request.topP() != null) {
			builder.topP(request.topP());
		}
		if (!request.stop().isEmpty()) {
			builder.stopSequences(request.stop());
		}
		if (request.extra().get("frequency_penalty") instanceof Number penalty) {
			builder.frequencyPenalty(penalty.doubleValue());
		}
		if (request.extra().get("presence_penalty") instanceof Number penalty) {
			builder.presencePenalty(penalty.doubleValue());
		}
		if (request.extra().get("top_k") instanceof Number topK) {
			builder.topK(topK.intValue());
		}
		if (!request.tools().isEmpty() && builder instanceof ToolCallingChatOptions.Builder tooling) {
			tooling.toolCallbacks(request.tools().stream().map(DefinitionOnly::new).toList());
		}
		if (request.responseFormat() instanceof ResponseFormat.JsonSchema schema && !dropped.contains("response_format")
				&& builder instanceof StructuredOutputChatOptions.Builder structured) {
			structured.outputSchema(Json.MAPPER.writeValueAsString(schema.schema()));
		}
		return new Prompt(messages(request.messages()), builder.build());
	}

	static List<Message> messages(List<ChatMessage> messages) {
		Map<String, String> toolNames = new HashMap<>();
		List<Message> out = new ArrayList<>();
		List<ToolResponseMessage.ToolResponse> results = new ArrayList<>();
		for (ChatMessage message : messages) {
			if (message.role() != dev.llmfallback.Role.TOOL && !results.isEmpty()) {
				out.add(ToolResponseMessage.builder().responses(List.copyOf(results)).build());
				results.clear();
			}
			switch (message.role()) {
				case SYSTEM -> out.add(new SystemMessage(message.content()));
				case USER -> out.add(user(message));
				case ASSISTANT -> {
					message.toolCalls().forEach((call) -> toolNames.put(call.id(), call.name()));
					out.add(AssistantMessage.builder()
						.content(message.content())
						.toolCalls(message.toolCalls()
							.stream()
							.map((call) -> new AssistantMessage.ToolCall(call.id(), "function", call.name(),
									call.arguments()))
							.toList())
						.build());
				}
				case TOOL -> {
					String id = (message.toolCallId() != null) ? message.toolCallId() : "";
					results.add(new ToolResponseMessage.ToolResponse(id, toolNames.getOrDefault(id, ""),
							message.content()));
				}
			}
		}
		if (!results.isEmpty()) {
			out.add(ToolResponseMessage.builder().responses(List.copyOf(results)).build());
		}
		return out;
	}

	private static UserMessage user(ChatMessage message) {
		List<Media> media = new ArrayList<>();
		for (ContentPart part : message.parts()) {
			if (part instanceof ContentPart.Image image) {
				// A data image always has its media type (checked when the part is made).
				media.add(image.isData()
						? new Media(MimeType.valueOf(Objects.requireNonNull(image.mediaType())),
								new ByteArrayResource(Base64.getDecoder().decode(image.data())))
						: new Media(new MimeType("image", "*"), URI.create(image.url())));
			}
		}
		return UserMessage.builder().text(message.content()).media(media).build();
	}

	/** A tool the model may call; Spring AI 2.0 models never run it, so running it is a bug. */
	private record DefinitionOnly(Tool tool) implements ToolCallback {

		@Override
		public ToolDefinition getToolDefinition() {
			return ToolDefinition.builder()
				.name(this.tool.name())
				.description((this.tool.description() != null) ? this.tool.description() : "")
				.inputSchema(Json.MAPPER.writeValueAsString(this.tool.parameters()))
				.build();
		}

		@Override
		public String call(String toolInput) {
			throw new IllegalStateException("tool '" + this.tool.name()
					+ "' must be run by the caller of the fallback chain, not by the wrapped model");
		}

	}

	/** @return our tool call list from Spring AI's */
	static List<ToolCall> toolCalls(List<AssistantMessage.ToolCall> calls) {
		return calls.stream().map((call) -> new ToolCall(call.id(), call.name(), call.arguments())).toList();
	}

}
