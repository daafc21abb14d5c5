package dev.llmfallback.springai;

import org.jspecify.annotations.Nullable;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.model.StreamingChatModel;
import org.springframework.ai.chat.prompt.ChatOptions;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.ai.model.tool.ToolCallingChatOptions;
import reactor.core.publisher.Flux;

import dev.llmfallback.ChatRequest;
import dev.llmfallback.ChatService;
import dev.llmfallback.ErrorCategory;
import dev.llmfallback.LlmException;
import dev.llmfallback.engine.FallbackEngine;

/**
 * The fallback chain as a Spring AI {@link ChatModel} and {@link StreamingChatModel}: each call is
 * one walk of the policy's chain. It passes the tool definitions of {@link ToolCallingChatOptions}
 * to whichever model serves and returns that model's tool calls unchanged; it never runs a tool
 * (in Spring AI 2.0 {@code ChatClient}'s {@code ToolCallingAdvisor} runs the loop, so each turn of
 * it is one walk, and a later turn may be served by another wire format).
 *
 * <p>The option {@code model} names a policy (walk it) or a configured model (that model alone);
 * left unset, the bridge walks its own policy. Failures surface as our
 * {@link dev.llmfallback.FallbackExhaustedException} and {@link LlmException}.
 */
public final class FallbackChatModel implements ChatModel, StreamingChatModel {

	private final FallbackEngine engine;

	private final @Nullable String policy;

	/**
	 * @param engine the engine
	 * @param policy the policy to walk, or {@code null} for the engine's default policy
	 */
	public FallbackChatModel(FallbackEngine engine, @Nullable String policy) {
		this.engine = engine;
		this.policy = policy;
	}

	@Override
	public ChatResponse call(Prompt prompt) {
		ChatRequest request = PromptMapping.request(prompt, null);
		dev.llmfallback.ChatResponse response = service(prompt).chat(request).block();
		if (response == null) {
			throw new IllegalStateException("the fallback chain completed without an answer");
		}
		return ChatResponseMapping.response(response);
	}

	@Override
	public Flux<ChatResponse> stream(Prompt prompt) {
		return Flux.defer(() -> service(prompt).stream(PromptMapping.request(prompt, null)))
			// a chunk carrying only tool-call deltas adds nothing: the last chunk has the calls whole
			.filter((chunk) -> !chunk.delta().isEmpty() || chunk.last())
			.map(ChatResponseMapping::chunk);
	}

	/** Tool-calling options, so that {@code ChatClient} hands this model its tools. */
	@Override
	public ChatOptions getOptions() {
		return ToolCallingChatOptions.builder().build();
	}

	private ChatService service(Prompt prompt) {
		String name = (prompt.getOptions() != null) ? prompt.getOptions().getModel() : null;
		if (name == null || name.isBlank()) {
			return (this.policy != null) ? this.engine.chatService(this.policy) : this.engine.chatService();
		}
		if (this.engine.policies().containsKey(name)) {
			return this.engine.chatService(name);
		}
		if (this.engine.models().containsKey(name)) {
			return this.engine.modelService(name);
		}
		throw LlmException.builder(ErrorCategory.BAD_REQUEST)
			.message("the chat option model '" + name + "' names neither a policy (" + this.engine.policies().keySet()
					+ ") nor a model (" + this.engine.models().keySet() + ") of llm.fallback")
			.build();
	}

}
