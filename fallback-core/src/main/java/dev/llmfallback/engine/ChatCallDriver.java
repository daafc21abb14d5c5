package dev.llmfallback.engine;

import java.util.List;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import dev.llmfallback.Attempt;
import dev.llmfallback.ChatRequest;
import dev.llmfallback.ChatResponse;
import dev.llmfallback.ToolCall;
import dev.llmfallback.Usage;
import dev.llmfallback.provider.ProviderRequest;
import dev.llmfallback.provider.ProviderResponse;

/** A chat call over the walk: sends {@link ProviderRequest}s, answers a {@link ChatResponse}. */
final class ChatCallDriver extends CallDriver<ChatRequest, ProviderResponse, ChatResponse> {

	/** {@code null} when observations are off. */
	private final @Nullable RequestObservations observations;

	ChatCallDriver(WalkContext context, @Nullable RequestObservations observations) {
		super(context, ChatOperation.CALL);
		this.observations = observations;
	}

	Mono<ChatResponse> chat(CompiledPolicy policy, ChatRequest request) {
		Mono<ChatResponse> chat = run(policy, request);
		return (this.observations != null) ? this.observations.chat(policy.name(), chat) : chat;
	}

	@Override
	Mono<ProviderResponse> send(Call call, ChatRequest request) {
		Deployment target = call.deployment();
		return target.provider()
			.chat(new ProviderRequest(target.providerModelId(), request, !call.droppedParams().isEmpty()));
	}

	/** A custom provider may skip what the built-in mappings check: tool-call arguments must be JSON objects. */
	@Override
	void check(ProviderResponse answer, Call call) {
		for (ToolCall toolCall : answer.toolCalls()) {
			if (!JsonText.isObject(toolCall.arguments())) {
				throw Failures.invalidToolCall(call.model(), "answered arguments of tool call '" + toolCall.name()
						+ "' (id " + toolCall.id() + ") that are not one JSON object");
			}
		}
	}

	@Override
	@Nullable String responseModel(ProviderResponse answer) {
		return answer.providerModel();
	}

	@Override
	@Nullable Usage usage(ProviderResponse answer) {
		return answer.usage();
	}

	@Override
	ChatResponse answer(ProviderResponse answer, Call call, List<Attempt> attempts) {
		ModelRuntime model = call.model();
		String finishReason = ToolCallAssembly.finishReason(answer.finishReason(), !answer.toolCalls().isEmpty());
		return new ChatResponse(answer.content(), finishReason, model.name(), model.providerName(),
				answer.providerModel(), answer.usage(), attempts, answer.toolCalls(), call.droppedParams());
	}

}
