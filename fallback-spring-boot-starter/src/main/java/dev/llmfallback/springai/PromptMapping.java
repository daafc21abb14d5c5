package dev.llmfallback.springai;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.messages.Message;
import org.springframework.ai.chat.messages.ToolResponseMessage;
import org.springframework.ai.chat.messages.UserMessage;
import org.springframework.ai.chat.prompt.ChatOptions;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.ai.content.Media;
import org.springframework.ai.model.tool.StructuredOutputChatOptions;
import org.springframework.ai.model.tool.ToolCallingChatOptions;
import org.springframework.ai.tool.ToolCallback;
import org.springframework.ai.tool.definition.ToolDefinition;
import tools.jackson.core.JacksonException;
import tools.jackson.core.type.TypeReference;

import dev.llmfallback.ChatMessage;
import dev.llmfallback.ChatRequest;
import dev.llmfallback.ContentPart;
import dev.llmfallback.ErrorCategory;
import dev.llmfallback.LlmException;
import dev.llmfallback.ResponseFormat;
import dev.llmfallback.Tool;
import dev.llmfallback.ToolCall;
import dev.llmfallback.provider.http.Json;

/**
 * Turns a Spring AI {@link Prompt} into our {@link ChatRequest}: its messages (system, user with
 * images, assistant with tool calls, tool results) and its options. Options without a field of ours
 * travel in {@code extra} by their OpenAI names ({@code frequency_penalty}, {@code presence_penalty},
 * {@code top_k}) so that each model's provider translates them, or refuses or drops them per the
 * policy's {@code drop-unsupported-params}: none is ignored here.
 */
public final class PromptMapping {

	private static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() {
	};

	private PromptMapping() {
	}

	/**
	 * @param prompt the Spring AI prompt
	 * @param policy the policy to walk, or {@code null} for the engine's default
	 * @return our request
	 */
	public static ChatRequest request(Prompt prompt, @Nullable String policy) {
		ChatRequest.Builder builder = ChatRequest.builder().policy(policy);
		for (Message message : prompt.getInstructions()) {
			messages(message).forEach(builder::message);
		}
		ChatOptions options = prompt.getOptions();
		if (options != null) {
			options(options, builder);
		}
		return builder.build();
	}

	static List<ChatMessage> messages(Message message) {
		String text = (message.getText() != null) ? message.getText() : "";
		return switch (message.getMessageType()) {
			case SYSTEM -> List.of(ChatMessage.system(text));
			case USER -> List.of(user(text, ((UserMessage) message).getMedia()));
			case ASSISTANT -> List.of(assistant(text, (AssistantMessage) message));
			case TOOL -> ((ToolResponseMessage) message).getResponses()
				.stream()
				.map((response) -> ChatMessage.toolResult(response.id(),
						(response.responseData() != null) ? response.responseData() : ""))
				.toList();
		};
	}

	private static ChatMessage user(String text, List<Media> media) {
		if (media.isEmpty()) {
			return ChatMessage.user(text);
		}
		List<ContentPart> parts = new ArrayList<>();
		if (!text.isEmpty()) {
			parts.add(new ContentPart.Text(text));
		}
		media.forEach((item) -> parts.add(image(item)));
		return ChatMessage.user(parts.toArray(ContentPart[]::new));
	}

	private static ContentPart image(Media media) {
		if (!"image".equals(media.getMimeType().getType())) {
			throw LlmException.builder(ErrorCategory.UNSUPPORTED)
				.message("a user message carries media of type " + media.getMimeType()
						+ "; only images travel through the fallback chain")
				.build();
		}
		Object data = media.getData();
		if (data instanceof java.net.URI uri) {
			data = uri.toString();
		}
		if (data instanceof String url) {
			return ContentPart.imageUrl(url); // a data URL becomes data
		}
		String mediaType = media.getMimeType().getType() + "/" + media.getMimeType().getSubtype();
		return ContentPart.imageData(mediaType, Base64.getEncoder().encodeToString(media.getDataAsByteArray()));
	}

	private static ChatMessage assistant(String text, AssistantMessage message) {
		List<ToolCall> calls = message.getToolCalls()
			.stream()
			.map((call) -> new ToolCall(call.id(), call.name(), call.arguments()))
			.toList();
		return calls.isEmpty() ? ChatMessage.assistant(text) : ChatMessage.assistant(text.isEmpty() ? null : text, calls);
	}

	private static void options(ChatOptions options, ChatRequest.Builder builder) {
		String origin = options.getClass().getPackageName();
		if (!origin.equals("org.springframework.ai.chat.prompt") && !origin.equals("org.springframework.ai.model.tool")) {
			// A vendor's options class has fields no other model of the chain could honour: refuse it
			// rather than read its portable part and ignore the rest unseen.
			throw LlmException.builder(ErrorCategory.BAD_REQUEST)
				.message("FallbackChatModel takes Spring AI's portable options (ChatOptions.builder(), "
						+ "ToolCallingChatOptions.builder()), not " + options.getClass().getSimpleName()
						+ ", whose vendor fields the other models of the chain cannot honour; pass further "
						+ "parameters by the model's own configuration or ChatService's ChatRequest.extra")
				.build();
		}
		builder.temperature(options.getTemperature()).maxTokens(options.getMaxTokens()).topP(options.getTopP());
		if (options.getStopSequences() != null) {
			builder.stop(options.getStopSequences().toArray(String[]::new));
		}
		if (options.getFrequencyPenalty() != null) {
			builder.extra("frequency_penalty", options.getFrequencyPenalty());
		}
		if (options.getPresencePenalty() != null) {
			builder.extra("presence_penalty", options.getPresencePenalty());
		}
		if (options.getTopK() != null) {
			builder.extra("top_k", options.getTopK());
		}
		if (options instanceof ToolCallingChatOptions tooling && tooling.getToolCallbacks() != null) {
			for (ToolCallback callback : tooling.getToolCallbacks()) {
				builder.tool(tool(callback.getToolDefinition()));
			}
		}
		if (options instanceof StructuredOutputChatOptions structured && structured.getOutputSchema() != null
				&& !structured.getOutputSchema().isBlank()) {
			builder.responseFormat(new ResponseFormat.JsonSchema("response", null,
					json(structured.getOutputSchema(), "the output schema"), false));
		}
	}

	static Tool tool(ToolDefinition definition) {
		return new Tool(definition.name(), definition.description(),
				json(definition.inputSchema(), "the input schema of tool '" + definition.name() + "'"), false);
	}

	private static Map<String, Object> json(String text, String what) {
		try {
			return Json.MAPPER.readValue(text, OBJECT);
		}
		catch (JacksonException ex) {
			throw LlmException.builder(ErrorCategory.BAD_REQUEST)
				.message(what + " is not a JSON object: " + ex.getOriginalMessage())
				.build();
		}
	}

}
