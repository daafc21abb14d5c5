package dev.llmfallback.engine;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

import dev.llmfallback.Attempt;
import dev.llmfallback.AttemptKind;
import dev.llmfallback.ChatChunk;
import dev.llmfallback.ChatRequest;
import dev.llmfallback.LlmException;
import dev.llmfallback.ToolCall;
import dev.llmfallback.provider.ProviderChunk;
import dev.llmfallback.provider.ProviderRequest;

/**
 * A chat stream over the walk. Retries and fallbacks happen only until the first chunk of text or
 * of a tool call has reached the caller; a failure after that ends the stream with the walk's
 * explicit error. Until that first chunk the first-token timeout runs on; after it, each chunk must
 * follow the last within the idle timeout ({@link Call#silenceAllowedAfterChunk}). Tool-call deltas
 * are passed on as they come and folded by {@link StreamProgress}; the last chunk carries the
 * assembled calls.
 */
final class ChatStreamDriver {

	private final WalkContext context;

	/** {@code null} when observations are off. */
	private final @Nullable RequestObservations observations;

	private final HedgedStreams hedged;

	ChatStreamDriver(WalkContext context, @Nullable RequestObservations observations) {
		this.context = context;
		this.observations = observations;
		this.hedged = new HedgedStreams(context.clock());
	}

	Flux<ChatChunk> stream(CompiledPolicy policy, ChatRequest request) {
		Flux<ChatChunk> stream = Flux.defer(() -> {
			RequestWalk<ChatRequest> walk = new RequestWalk<>(this.context, policy, ChatOperation.STREAM, request);
			return next(walk).doOnCancel(walk::cancel);
		});
		return (this.observations != null) ? this.observations.stream(policy.name(), stream) : stream;
	}

	private Flux<ChatChunk> next(RequestWalk<ChatRequest> walk) {
		Call call = walk.next();
		if (call == null) {
			return Flux.error(Objects.requireNonNull(walk.failure(), "a walk that ends says why"));
		}
		Hedge hedge = walk.hedging();
		long hedgeAfter = (hedge != null && call.kind() != AttemptKind.HEDGE) ? hedge.delayNanos(call) : -1;
		if (hedge != null && hedgeAfter >= 0) {
			return this.hedged.race(walk, call, hedge, hedgeAfter, this::attempt, this::next);
		}
		StreamProgress progress = new StreamProgress(call.model());
		return attempt(walk, call, progress).onErrorResume((error) -> {
			if (walk.isDone()) {
				return Flux.error(error);
			}
			if (progress.committed()) {
				return Flux.error(walk.onStreamInterrupted(call, progress.delivered(), error));
			}
			walk.onFailure(call, error);
			return next(walk);
		});
	}

	/** One attempt's chunks, the last one built once the stream answered; errors are left to the caller. */
	private Flux<ChatChunk> attempt(RequestWalk<ChatRequest> walk, Call call, StreamProgress progress) {
		ModelRuntime model = call.model();
		EngineClock clock = this.context.clock();
		Scheduler scheduler = clock.scheduler();
		Flux<ChatChunk> chunks = Flux.defer(() -> {
			walk.started(call);
			Deployment target = call.deployment();
			return target.provider()
				.stream(new ProviderRequest(target.providerModelId(), walk.request(), !call.droppedParams().isEmpty()));
		})
			.filter(ProviderChunk::hasContent)
			.timeout(Mono.delay(call.timeout(), scheduler),
					(chunk) -> Mono.delay(call.silenceAllowedAfterChunk(progress.committed(),
							!chunk.delta().isEmpty() || !chunk.toolCallDeltas().isEmpty(), clock.nanoTime()), scheduler),
					Failures.timedOut())
			.<ChatChunk>handle((chunk, sink) -> {
				boolean forCaller;
				try {
					forCaller = progress.accept(chunk);
				}
				catch (LlmException ex) {
					sink.error(ex);
					return;
				}
				if (!forCaller) {
					return;
				}
				if (chunk.toolCallDeltas().isEmpty()) {
					sink.next(ChatChunk.delta(chunk.delta(), model.name(), model.providerName()));
				}
				else {
					sink.next(new ChatChunk(chunk.delta(), null, null, model.name(), model.providerName(), null, null,
							chunk.toolCallDeltas(), List.of(), List.of()));
				}
			})
			.concatWith(Mono.defer(() -> progress.answered() ? Mono.just(last(call, progress, walk))
					: Mono.error(Failures.noAnswer(model))));
		if (call.delayNanos() > 0) {
			chunks = Mono.delay(Duration.ofNanos(call.delayNanos()), scheduler).thenMany(chunks);
		}
		return chunks;
	}

	private static ChatChunk last(Call call, StreamProgress progress, RequestWalk<ChatRequest> walk) {
		// Assembled (and checked) before the walk counts the stream a success.
		List<ToolCall> toolCalls = progress.toolCalls();
		List<Attempt> attempts = walk.onSuccess(call, progress.providerModel(), progress.usage());
		ModelRuntime model = call.model();
		return new ChatChunk("", progress.finishReason(), progress.usage(), model.name(), model.providerName(),
				progress.providerModel(), attempts, List.of(), toolCalls, call.droppedParams());
	}

}
