package dev.llmfallback.engine;

import java.util.function.Function;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Operators;

import dev.llmfallback.ChatChunk;
import dev.llmfallback.ChatResponse;
import dev.llmfallback.EmbeddingResponse;
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
		return call.transform(observed(policy, false, AttemptEvent.CHAT, RequestOutcome.CHAT));
	}

	Mono<EmbeddingResponse> embed(String policy, Mono<EmbeddingResponse> call) {
		return call.transform(observed(policy, false, AttemptEvent.EMBEDDINGS, RequestOutcome.EMBEDDINGS));
	}

	Flux<ChatChunk> stream(String policy, Flux<ChatChunk> call) {
		return call.transform(observed(policy, true, AttemptEvent.CHAT, RequestOutcome.STREAM));
	}

	// One lifted subscriber per subscription: the observation starts when the caller subscribes.
	private <T> Function<? super Publisher<T>, ? extends Publisher<T>> observed(String policy, boolean streaming,
			String operation, RequestOutcome<T> outcome) {
		return Operators.liftPublisher((source, caller) -> {
			FallbackObservationContext request = new FallbackObservationContext(policy, streaming, operation);
			return new ObservedSubscriber<T>(caller, start(request, caller), request, outcome);
		});
	}

	private Observation start(FallbackObservationContext request, CoreSubscriber<?> caller) {
		Observation parent = caller.currentContext().getOrDefault(OBSERVATION_KEY, null);
		return FallbackObservationDocumentation.REQUEST
			.observation(this.convention, DEFAULT_CONVENTION, () -> request, this.registry)
			.parentObservation(parent)
			.start();
	}

}
