package dev.llmfallback.springai;

import java.util.List;
import java.util.Locale;

import org.jspecify.annotations.Nullable;
import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.metadata.ChatGenerationMetadata;
import org.springframework.ai.chat.metadata.ChatResponseMetadata;
import org.springframework.ai.chat.metadata.DefaultUsage;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.model.Generation;

import dev.llmfallback.Attempt;
import dev.llmfallback.ChatChunk;
import dev.llmfallback.ToolCall;
import dev.llmfallback.Usage;

/**
 * Turns our answers into Spring AI's: the text and tool calls (unchanged, never run here) as an
 * {@link AssistantMessage}, the finish reason in Spring AI's upper-case spelling (as its OpenAI
 * model reports it: {@code STOP}, {@code LENGTH}, {@code TOOL_CALLS}), usage as Spring AI's
 * {@code Usage}, and the walk as the metadata keys {@link #SERVED_BY} and {@link #ATTEMPTS} (and
 * {@link #DROPPED_PARAMS} when the policy dropped something).
 */
public final class ChatResponseMapping {

	/** Response metadata key: the configured model that answered. */
	public static final String SERVED_BY = "llm.fallback.served-by";

	/** Response metadata key: the {@link Attempt}s of the walk, in order. */
	public static final String ATTEMPTS = "llm.fallback.attempts";

	/** Response metadata key, present when the policy dropped parameters: their names. */
	public static final String DROPPED_PARAMS = "llm.fallback.dropped-params";

	private ChatResponseMapping() {
	}

	/**
	 * @param response our answer
	 * @return Spring AI's
	 */
	public static ChatResponse response(dev.llmfallback.ChatResponse response) {
		AssistantMessage message = AssistantMessage.builder()
			.content(response.content())
			.toolCalls(toolCalls(response.toolCalls()))
			.build();
		return new ChatResponse(List.of(new Generation(message, generation(response.finishReason()))),
				metadata(response.servedBy(), response.providerModel(), response.usage(), response.attempts(),
						response.droppedParams()));
	}

	/**
	 * @param chunk one chunk of our stream
	 * @return Spring AI's; the last one carries the tool calls, finish reason, usage and walk
	 */
	public static ChatResponse chunk(ChatChunk chunk) {
		AssistantMessage message = AssistantMessage.builder()
			.content(chunk.delta())
			.toolCalls(toolCalls(chunk.toolCalls()))
			.build();
		ChatResponseMetadata metadata = (chunk.servedBy() != null)
				? metadata(chunk.servedBy(), chunk.providerModel(), chunk.usage(),
						(chunk.attempts() != null) ? chunk.attempts() : List.of(), chunk.droppedParams())
				: new ChatResponseMetadata();
		return new ChatResponse(List.of(new Generation(message, generation(chunk.finishReason()))), metadata);
	}

	private static List<AssistantMessage.ToolCall> toolCalls(List<ToolCall> calls) {
		return calls.stream()
			.map((call) -> new AssistantMessage.ToolCall(call.id(), "function", call.name(), call.arguments()))
			.toList();
	}

	private static ChatGenerationMetadata generation(@Nullable String finishReason) {
		return (finishReason != null)
				? ChatGenerationMetadata.builder().finishReason(finishReason.toUpperCase(Locale.ROOT)).build()
				: ChatGenerationMetadata.NULL;
	}

	private static ChatResponseMetadata metadata(String servedBy, @Nullable String providerModel,
			@Nullable Usage usage, List<Attempt> attempts, List<String> droppedParams) {
		ChatResponseMetadata.Builder builder = ChatResponseMetadata.builder()
			.model((providerModel != null) ? providerModel : servedBy)
			.keyValue(SERVED_BY, servedBy)
			.keyValue(ATTEMPTS, attempts);
		if (!droppedParams.isEmpty()) {
			builder.keyValue(DROPPED_PARAMS, droppedParams);
		}
		if (usage != null) {
			builder.usage(new DefaultUsage(Math.toIntExact(usage.inputTokens()), Math.toIntExact(usage.outputTokens()),
					Math.toIntExact(usage.totalTokens()), usage));
		}
		return builder.build();
	}

}
