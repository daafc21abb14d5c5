package dev.llmfallback.springai;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

import org.jspecify.annotations.Nullable;
import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.metadata.ChatResponseMetadata;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.model.Generation;
import org.springframework.ai.chat.prompt.ChatOptions;
import org.springframework.ai.chat.prompt.Prompt;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import dev.llmfallback.ChatRequest;
import dev.llmfallback.ErrorCategory;
import dev.llmfallback.LlmException;
import dev.llmfallback.ToolCall;
import dev.llmfallback.Usage;
import dev.llmfallback.provider.ChatProvider;
import dev.llmfallback.provider.ClassificationRules;
import dev.llmfallback.provider.ProviderChunk;
import dev.llmfallback.provider.ProviderRequest;
import dev.llmfallback.provider.ProviderResponse;
import dev.llmfallback.provider.http.OpenAiParams;

/**
 * A Spring AI {@link ChatModel} as a provider of the chain ({@code type: spring-ai}, {@code bean:}):
 * our request becomes a {@link Prompt} over the model's own default options (the configured model
 * id as the option {@code model}), its answer ours, tool calls included and never run, and its
 * exceptions our categories ({@link SpringAiFailures}). {@code ChatModel.call} blocks, so it runs
 * on the bounded-elastic scheduler; a model that does not stream is {@code unsupported} for
 * streams. Its own retries must be off (see {@code SpringAiRetries}): the engine owns every retry.
 */
public final class SpringAiChatProvider implements ChatProvider {

	private final String name;

	private final ChatModel model;

	private final SpringAiFailures failures;

	/**
	 * @param name the configured provider name
	 * @param model the wrapped model
	 * @param rules the user's message patterns, or {@code null}
	 */
	public SpringAiChatProvider(String name, ChatModel model, @Nullable ClassificationRules rules) {
		this.name = name;
		this.model = model;
		this.failures = new SpringAiFailures(name, rules);
	}

	@Override
	public String name() {
		return this.name;
	}

	@Override
	public String type() {
		return "spring-ai";
	}

	/** @return the wrapped model */
	public ChatModel model() {
		return this.model;
	}

	@Override
	public List<String> unsupportedParams(ChatRequest request) {
		return SpringAiRequestMapping.unsupportedParams(request, defaults());
	}

	@Override
	public Mono<ProviderResponse> chat(ProviderRequest request) {
		return Mono.fromCallable(() -> this.model.call(prompt(request)))
			.subscribeOn(Schedulers.boundedElastic())
			.map(SpringAiChatProvider::response)
			.onErrorMap((failure) -> this.failures.classify(failure));
	}

	@Override
	public Flux<ProviderChunk> stream(ProviderRequest request) {
		AtomicInteger toolCallIndex = new AtomicInteger();
		return Flux.defer(() -> this.model.stream(prompt(request)))
			.map((response) -> chunk(response, toolCallIndex))
			.onErrorMap((failure) -> (failure instanceof UnsupportedOperationException)
					? LlmException.builder(ErrorCategory.UNSUPPORTED)
						.provider(this.name)
						.message("the Spring AI model " + this.model.getClass().getSimpleName() + " does not stream")
						.build()
					: this.failures.classify(failure));
	}

	private Prompt prompt(ProviderRequest request) {
		List<String> unsupported = unsupportedParams(request.request());
		if (!unsupported.isEmpty() && !request.dropUnsupported()) {
			throw OpenAiParams.unsupported(this.name, unsupported);
		}
		return SpringAiRequestMapping.prompt(request.model(), request.request(), defaults(), unsupported);
	}

	private @Nullable ChatOptions defaults() {
		return this.model.getOptions();
	}

	private static ProviderResponse response(ChatResponse response) {
		StringBuilder text = new StringBuilder();
		List<ToolCall> calls = new ArrayList<>();
		String finish = null;
		// Some models answer one generation per content block: take all of them.
		for (Generation generation : response.getResults()) {
			AssistantMessage output = generation.getOutput();
			if (output.getText() != null) {
				text.append(output.getText());
			}
			calls.addAll(SpringAiRequestMapping.toolCalls(output.getToolCalls()));
			if (finish == null && generation.getMetadata() != null) {
				finish = generation.getMetadata().getFinishReason();
			}
		}
		ChatResponseMetadata metadata = response.getMetadata();
		return new ProviderResponse(text.toString(), finishReason(finish, !calls.isEmpty()),
				(metadata != null) ? emptyToNull(metadata.getModel()) : null, usage(metadata), calls);
	}

	private static ProviderChunk chunk(ChatResponse response, AtomicInteger toolCallIndex) {
		StringBuilder text = new StringBuilder();
		List<ToolCall.Delta> deltas = new ArrayList<>();
		String finish = null;
		for (Generation generation : response.getResults()) {
			AssistantMessage output = generation.getOutput();
			if (output.getText() != null) {
				text.append(output.getText());
			}
			// Spring AI hands a streamed call over whole: one delta with the complete arguments.
			output.getToolCalls()
				.forEach((call) -> deltas.add(new ToolCall.Delta(toolCallIndex.getAndIncrement(), call.id(),
						call.name(), (call.arguments() != null) ? call.arguments() : "")));
			if (finish == null && generation.getMetadata() != null) {
				finish = emptyToNull(generation.getMetadata().getFinishReason());
			}
		}
		ChatResponseMetadata metadata = response.getMetadata();
		return new ProviderChunk(text.toString(),
				(finish != null) ? finishReason(finish, toolCallIndex.get() > 0) : null,
				(metadata != null) ? emptyToNull(metadata.getModel()) : null, usage(metadata), deltas);
	}

	/** Spring AI passes each vendor's spelling through; ours are OpenAI's. */
	static @Nullable String finishReason(@Nullable String reason, boolean calledTools) {
		if (calledTools) {
			return "tool_calls";
		}
		if (reason == null || reason.isBlank()) {
			return null;
		}
		return switch (reason.toLowerCase(Locale.ROOT)) {
			case "stop", "end_turn", "stop_sequence", "complete", "eos" -> "stop";
			case "length", "max_tokens" -> "length";
			case "tool_calls", "tool_use", "function_call" -> "tool_calls";
			case "content_filter", "safety", "refusal" -> "content_filter";
			default -> reason.toLowerCase(Locale.ROOT);
		};
	}

	private static @Nullable Usage usage(@Nullable ChatResponseMetadata metadata) {
		if (metadata == null || metadata.getUsage() == null) {
			return null;
		}
		org.springframework.ai.chat.metadata.Usage usage = metadata.getUsage();
		long input = (usage.getPromptTokens() != null) ? usage.getPromptTokens() : 0;
		long output = (usage.getCompletionTokens() != null) ? usage.getCompletionTokens() : 0;
		if (input == 0 && output == 0) {
			return null;
		}
		return Usage.of(input, output);
	}

	private static @Nullable String emptyToNull(@Nullable String value) {
		return (value == null || value.isEmpty()) ? null : value;
	}

}
