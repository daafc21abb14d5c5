package dev.llmfallback.engine;

import java.util.List;
import java.util.function.Function;

import io.micrometer.common.KeyValue;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.context.ContextView;

import dev.llmfallback.Attempt;
import dev.llmfallback.ChatChunk;
import dev.llmfallback.ChatResponse;
import dev.llmfallback.EmbeddingResponse;
import dev.llmfallback.ErrorCategory;
import dev.llmfallback.LlmException;
import dev.llmfallback.event.AttemptEvent;
import dev.llmfallback.observation.DefaultFallbackObservationConvention;
import dev.llmfallback.observation.FallbackObservationContext;
import dev.llmfallback.observation.FallbackObservationConvention;
import dev.llmfallback.observation.FallbackObservationDocumentation;

/**
 * Runs each request inside an {@link Observation}, child of the caller's observation found in the
 * Reactor context and parent of the provider calls made within it. Only built for a registry that
 * is not a no-op, so an engine without observations pays nothing.
 */
final class RequestObservations {

	/**
	 * The Reactor context key of the current observation, {@code ObservationThreadLocalAccessor.KEY},
	 * written out so that context-propagation need not be on the classpath.
	 */
	static final String OBSERVATION_KEY = "micrometer.observation";

	private static final DefaultFallbackObservationConvention DEFAULT_CONVENTION = new DefaultFallbackObservationConvention();

	private final ObservationRegistry registry;

	private final @Nullable FallbackObservationConvention convention;

	RequestObservations(ObservationRegistry registry, @Nullable FallbackObservationConvention convention) {
		this.registry = registry;
		this.convention = convention;
	}

	Mono<ChatResponse> chat(String policy, Mono<ChatResponse> call) {
		return one(new FallbackObservationContext(policy, false), call, ChatResponse::servedBy, ChatResponse::attempts);
	}

	Mono<EmbeddingResponse> embed(String policy, Mono<EmbeddingResponse> call) {
		return one(new FallbackObservationContext(policy, false, AttemptEvent.EMBEDDINGS), call,
				EmbeddingResponse::servedBy, EmbeddingResponse::attempts);
	}

	private <T> Mono<T> one(FallbackObservationContext context, Mono<T> call, Function<T, String> servedBy,
			Function<T, List<Attempt>> attempts) {
		return Mono.deferContextual((contextView) -> {
			Observation observation = start(context, contextView);
			// Stopped before the signal travels on, so that the caller sees a finished observation.
			return call.doOnSuccess((response) -> {
				if (response != null) {
					served(context, servedBy.apply(response), attempts.apply(response));
				}
				observation.stop();
			})
				.doOnError((error) -> failed(context, observation, error))
				.doOnCancel(() -> {
					cancelled(context);
					observation.stop();
				})
				.contextWrite((reactorContext) -> reactorContext.put(OBSERVATION_KEY, observation));
		});
	}

	Flux<ChatChunk> stream(String policy, Flux<ChatChunk> call) {
		return Flux.deferContextual((contextView) -> {
			FallbackObservationContext context = new FallbackObservationContext(policy, true);
			Observation observation = start(context, contextView);
			return call.doOnNext((chunk) -> {
				if (chunk.last()) {
					served(context, chunk.servedBy(), chunk.attempts());
				}
			})
				.doOnComplete(observation::stop)
				.doOnError((error) -> failed(context, observation, error))
				.doOnCancel(() -> {
					cancelled(context);
					observation.stop();
				})
				.contextWrite((reactorContext) -> reactorContext.put(OBSERVATION_KEY, observation));
		});
	}

	private Observation start(FallbackObservationContext context, ContextView contextView) {
		Observation parent = contextView.getOrDefault(OBSERVATION_KEY, null);
		return FallbackObservationDocumentation.REQUEST
			.observation(this.convention, DEFAULT_CONVENTION, () -> context, this.registry)
			.parentObservation(parent)
			.start();
	}

	private static void served(FallbackObservationContext context, String servedBy, List<Attempt> attempts) {
		context.setOutcome(Attempt.SUCCESS);
		context.setServedBy(servedBy);
		context.setAttempts(attempts);
	}

	private static void failed(FallbackObservationContext context, Observation observation, Throwable error) {
		if (error instanceof LlmException failure) {
			context.setOutcome(failure.category().id());
			context.setAttempts(failure.attempts());
		}
		else {
			context.setOutcome(KeyValue.NONE_VALUE);
		}
		observation.error(error);
		observation.stop();
	}

	private static void cancelled(FallbackObservationContext context) {
		if (context.getOutcome() == null) {
			context.setOutcome(ErrorCategory.CANCELLED.id());
		}
	}

}
