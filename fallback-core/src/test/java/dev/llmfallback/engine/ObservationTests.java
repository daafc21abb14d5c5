package dev.llmfallback.engine;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.tck.TestObservationRegistry;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import dev.llmfallback.ChatChunk;
import dev.llmfallback.ChatRequest;
import dev.llmfallback.ChatResponse;
import dev.llmfallback.ChatService;
import dev.llmfallback.ErrorCategory;
import dev.llmfallback.policy.FallbackPolicy;
import dev.llmfallback.policy.ModelDefinition;
import dev.llmfallback.policy.RetrySpec;
import dev.llmfallback.provider.ChatProvider;
import dev.llmfallback.provider.ProviderChunk;
import dev.llmfallback.provider.ProviderRequest;
import dev.llmfallback.provider.ProviderResponse;
import dev.llmfallback.testing.ScriptedProvider;
import dev.llmfallback.testing.Step;

import static io.micrometer.observation.tck.TestObservationRegistryAssert.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

class ObservationTests {

	private static final String NAME = "llm.fallback.operation";

	private final Fixture fixture = new Fixture();

	private final TestObservationRegistry registry = TestObservationRegistry.create();

	private ChatService service() {
		return this.fixture.builder().observationRegistry(this.registry).build().chatService();
	}

	@Test
	void chatRunsInOneObservationThatSaysWhoServedAfterHowManyHops() {
		this.fixture.failing("primary", Step.fail(ErrorCategory.SERVICE_UNAVAILABLE).status(503));
		this.fixture.healthy("secondary");
		this.fixture.chain("primary", "secondary");
		this.fixture.run(service().chat(ChatRequest.of("hi"))).get();
		assertThat(this.registry).hasNumberOfObservationsWithNameEqualTo(NAME, 1)
			.hasObservationWithNameEqualTo(NAME)
			.that()
			.hasContextualNameEqualTo("fallback chat")
			.hasLowCardinalityKeyValue("policy", "chat")
			.hasLowCardinalityKeyValue("outcome", "success")
			.hasLowCardinalityKeyValue("served.by", "secondary")
			.hasLowCardinalityKeyValue("fallbacks", "1")
			.hasLowCardinalityKeyValue("stream", "false")
			.hasHighCardinalityKeyValueWithKey("attempts")
			.doesNotHaveError()
			.hasBeenStarted()
			.hasBeenStopped();
	}

	@Test
	void aStreamRunsInOneObservationToo() {
		this.fixture.healthy("primary");
		this.fixture.chain("primary");
		List<ChatChunk> chunks = this.fixture.run(service().stream(ChatRequest.of("hi")).collectList()).get();
		assertThat(chunks).isNotEmpty();
		assertThat(this.registry).hasNumberOfObservationsWithNameEqualTo(NAME, 1)
			.hasObservationWithNameEqualTo(NAME)
			.that()
			.hasLowCardinalityKeyValue("outcome", "success")
			.hasLowCardinalityKeyValue("served.by", "primary")
			.hasLowCardinalityKeyValue("fallbacks", "0")
			.hasLowCardinalityKeyValue("stream", "true")
			.hasBeenStopped();
	}

	@Test
	void eachSubscriptionIsObservedOnItsOwnAndNothingBeforeIt() {
		this.fixture.healthy("primary");
		this.fixture.chain("primary");
		ChatService service = service();
		Mono<ChatResponse> chat = service.chat(ChatRequest.of("hi"));
		Flux<ChatChunk> stream = service.stream(ChatRequest.of("hi"));
		assertThat(this.registry).doesNotHaveAnyObservation();
		this.fixture.run(chat).get();
		this.fixture.run(chat).get();
		assertThat(this.registry).hasNumberOfObservationsWithNameEqualTo(NAME, 2)
			// The outcome is written when an observation stops.
			.forAllObservationsWithNameEqualTo(NAME,
					(observation) -> observation.hasLowCardinalityKeyValue("outcome", "success")
						.hasLowCardinalityKeyValue("stream", "false"));
		this.fixture.run(stream.collectList()).get();
		assertThat(this.registry).hasNumberOfObservationsWithNameEqualTo(NAME, 3)
			.hasAnObservationWithAKeyValue("stream", "true");
	}

	@Test
	void aFailedRequestIsObservedWithItsCategoryAndError() {
		this.fixture.failing("primary", Step.fail(ErrorCategory.AUTHENTICATION).status(401));
		this.fixture.chain("primary");
		this.fixture.run(service().chat(ChatRequest.of("hi"))).failure();
		assertThat(this.registry).hasObservationWithNameEqualTo(NAME)
			.that()
			.hasLowCardinalityKeyValue("outcome", "authentication")
			.hasLowCardinalityKeyValue("served.by", "none")
			.hasError()
			.hasBeenStopped();
	}

	@Test
	void aFailedStreamIsObservedWithItsCategoryAndError() {
		this.fixture.failing("primary", Step.fail(ErrorCategory.SERVICE_UNAVAILABLE).status(503));
		this.fixture.chain((policy) -> policy.retry(RetrySpec.builder().maxRetries(0).build()), "primary");
		this.fixture.run(service().stream(ChatRequest.of("hi")).collectList()).failure();
		assertThat(this.registry).hasNumberOfObservationsWithNameEqualTo(NAME, 1)
			.hasObservationWithNameEqualTo(NAME)
			.that()
			.hasLowCardinalityKeyValue("outcome", "service_unavailable")
			.hasLowCardinalityKeyValue("served.by", "none")
			.hasLowCardinalityKeyValue("stream", "true")
			.hasError()
			.hasBeenStopped();
	}

	@Test
	void theCallersObservationIsTheParent() {
		this.fixture.healthy("primary");
		this.fixture.chain("primary");
		Observation parent = Observation.start("caller", this.registry);
		this.fixture
			.run(service().chat(ChatRequest.of("hi"))
				.contextWrite((context) -> context.put(RequestObservations.OBSERVATION_KEY, parent)))
			.get();
		parent.stop();
		assertThat(this.registry).hasObservationWithNameEqualTo(NAME).that().hasParentObservationEqualTo(parent);
	}

	@Test
	void aCancelledRequestEndsItsObservation() {
		this.fixture.model("primary", Step.hang());
		this.fixture.chain("primary");
		service().chat(ChatRequest.of("hi")).subscribe().dispose();
		assertThat(this.registry).hasObservationWithNameEqualTo(NAME)
			.that()
			.hasLowCardinalityKeyValue("outcome", "cancelled")
			.hasBeenStopped();
	}

	@Test
	void withoutARegistryNothingIsObserved() {
		this.fixture.healthy("primary");
		this.fixture.chain("primary");
		this.fixture.run(this.fixture.engine().chatService().chat(ChatRequest.of("hi"))).get();
		assertThat(this.registry).doesNotHaveAnyObservation();
	}

	@Test
	void anEmbeddingRequestRunsInOneObservationToo() {
		this.fixture.embedding("vectors", 8);
		this.fixture.policy(FallbackPolicy.builder("embed").models("vectors").build());
		FallbackEngine engine = this.fixture.builder().observationRegistry(this.registry).build();
		this.fixture.run(engine.embeddingService().embed(dev.llmfallback.EmbeddingRequest.of("a", "b"))).get();
		assertThat(this.registry).hasNumberOfObservationsWithNameEqualTo(NAME, 1)
			.hasObservationWithNameEqualTo(NAME)
			.that()
			.hasContextualNameEqualTo("fallback embed")
			.hasLowCardinalityKeyValue("outcome", "success")
			.hasLowCardinalityKeyValue("served.by", "vectors")
			.hasBeenStopped();
	}

	@Test
	void theRequestsObservationIsCurrentInsideTheProviderCall() {
		AtomicReference<Object> seenByChat = new AtomicReference<>();
		AtomicReference<Object> seenByStream = new AtomicReference<>();
		ChatService service = serviceOver(new ContextCapturingProvider(seenByChat, seenByStream));
		service.chat(ChatRequest.of("hi")).block(Duration.ofSeconds(5));
		service.stream(ChatRequest.of("hi")).blockLast(Duration.ofSeconds(5));
		assertThat(this.registry).hasNumberOfObservationsWithNameEqualTo(NAME, 2);
		assertThat(List.of(seenByChat.get(), seenByStream.get())).allSatisfy((observation) -> assertThat(observation)
			.isInstanceOfSatisfying(Observation.class,
					(current) -> assertThat(current.getContextView().getName()).isEqualTo(NAME)));
		assertThat(seenByChat.get()).isNotSameAs(seenByStream.get());
	}

	@Test
	void theCallerSeesTheAnswerOfAFinishedObservation() {
		List<String> order = new CopyOnWriteArrayList<>();
		this.registry.observationConfig().observationHandler(new StopRecorder(order, false));
		ChatService service = serviceOver(new ContextCapturingProvider(new AtomicReference<>(), new AtomicReference<>()));
		service.chat(ChatRequest.of("hi")).doOnNext((answer) -> order.add("answer")).block(Duration.ofSeconds(5));
		service.stream(ChatRequest.of("hi"))
			.doOnNext((chunk) -> order.add(chunk.last() ? "last chunk" : "chunk"))
			.blockLast(Duration.ofSeconds(5));
		assertThat(order).containsExactly("stopped", "answer", "chunk", "chunk", "stopped", "last chunk");
	}

	@Test
	void aStreamCancelledAfterItsFirstChunkIsStoppedOnceAsCancelled() {
		List<String> order = new CopyOnWriteArrayList<>();
		this.registry.observationConfig().observationHandler(new StopRecorder(order, false));
		ChatService service = serviceOver(new ContextCapturingProvider(new AtomicReference<>(), new AtomicReference<>()));
		ChatChunk first = service.stream(ChatRequest.of("hi")).next().block(Duration.ofSeconds(5));
		assertThat(first).isNotNull();
		assertThat(first.last()).isFalse();
		assertThat(order).containsExactly("stopped");
		assertThat(this.registry).hasObservationWithNameEqualTo(NAME)
			.that()
			.hasLowCardinalityKeyValue("outcome", "cancelled")
			.hasBeenStopped();
	}

	@Test
	void aFailingObservationHandlerLeavesTheAnswerAloneAndReportsItsErrorAsDropped() {
		List<Throwable> dropped = new CopyOnWriteArrayList<>();
		this.registry.observationConfig().observationHandler(new StopRecorder(new CopyOnWriteArrayList<>(), true));
		ChatService service = serviceOver(new ContextCapturingProvider(new AtomicReference<>(), new AtomicReference<>()));
		ChatResponse answer = service.chat(ChatRequest.of("hi"))
			.contextWrite((context) -> context.put(LOCAL_ON_ERROR_DROPPED, (Consumer<Throwable>) dropped::add))
			.block(Duration.ofSeconds(5));
		assertThat(answer).isNotNull();
		assertThat(answer.servedBy()).isEqualTo("primary");
		assertThat(dropped).singleElement().satisfies((error) -> assertThat(error).hasMessage("handler broke"));
	}

	/** Reactor's context key for a dropped-error hook of one subscription ({@code Hooks.KEY_ON_ERROR_DROPPED}). */
	private static final String LOCAL_ON_ERROR_DROPPED = "reactor.onErrorDropped.local";

	private ChatService serviceOver(ChatProvider provider) {
		return FallbackEngine.builder()
			.providers(List.of(provider))
			.models(List.of(ModelDefinition.builder("primary").provider("primary").build()))
			.policies(List.of(FallbackPolicy.builder("chat").models("primary").build()))
			.defaultPolicy("chat")
			.observationRegistry(this.registry)
			.build()
			.chatService();
	}

	/** Answers at once, in two chunks when streaming, and keeps the observation current in each call. */
	private record ContextCapturingProvider(AtomicReference<Object> chat, AtomicReference<Object> stream)
			implements ChatProvider {

		private static final ScriptedProvider ANSWERS = ScriptedProvider.builder("primary")
			.otherwise(Step.chunks("one ", "two"))
			.build();

		@Override
		public String name() {
			return "primary";
		}

		@Override
		public Mono<ProviderResponse> chat(ProviderRequest request) {
			return Mono.deferContextual((context) -> {
				this.chat.set(context.getOrDefault(RequestObservations.OBSERVATION_KEY, null));
				return ANSWERS.chat(request);
			});
		}

		@Override
		public Flux<ProviderChunk> stream(ProviderRequest request) {
			return Flux.deferContextual((context) -> {
				this.stream.set(context.getOrDefault(RequestObservations.OBSERVATION_KEY, null));
				return ANSWERS.stream(request);
			});
		}

	}

	/** Records each stop of the engine's observation, and breaks on it if asked to. */
	private record StopRecorder(List<String> order, boolean breaks) implements ObservationHandler<Observation.Context> {

		@Override
		public void onStop(Observation.Context context) {
			if (NAME.equals(context.getName())) {
				this.order.add("stopped");
				if (this.breaks) {
					throw new IllegalStateException("handler broke");
				}
			}
		}

		@Override
		public boolean supportsContext(Observation.Context context) {
			return true;
		}

	}

}
