package dev.llmfallback.engine;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

import dev.llmfallback.ChatRequest;
import dev.llmfallback.ChatResponse;
import dev.llmfallback.ErrorCategory;
import dev.llmfallback.LlmException;
import dev.llmfallback.event.AttemptEvent;
import dev.llmfallback.event.FallbackEvent;
import dev.llmfallback.event.HopEvent;
import dev.llmfallback.event.RequestCompletedEvent;
import dev.llmfallback.policy.FallbackPolicy;
import dev.llmfallback.policy.ModelDefinition;
import dev.llmfallback.testing.ScriptedProvider;
import dev.llmfallback.testing.Step;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** Events published along a walk, listeners that fail, and the ChatService surface. */
class EventsAndServiceTests {

	@Test
	void aWalkPublishesAttemptsHopsAndCompletionInOrder() {
		Fixture fixture = new Fixture();
		fixture.failing("primary", Step.fail(ErrorCategory.QUOTA_EXCEEDED).status(429));
		fixture.healthy("secondary", Step.reply("fine").usage(dev.llmfallback.Usage.of(3, 1)).providerModel("v2"));
		FallbackEngine engine = fixture.chain("primary", "secondary").engine();

		fixture.run(engine.chatService().chat(ChatRequest.of("hi"))).get();

		List<String> kinds = new ArrayList<>();
		for (FallbackEvent event : fixture.events) {
			kinds.add(event.getClass().getSimpleName());
		}
		assertThat(kinds).containsExactly("AttemptEvent", "CooldownStartedEvent", "HopEvent", "AttemptEvent",
				"RequestCompletedEvent");
		AttemptEvent served = fixture.events(AttemptEvent.class).get(1);
		assertThat(served.providerType()).isEqualTo("scripted");
		assertThat(served.requestModel()).isEqualTo("secondary");
		assertThat(served.responseModel()).isEqualTo("v2");
		assertThat(served.usage().totalTokens()).isEqualTo(4);
		HopEvent hop = fixture.events(HopEvent.class).get(0);
		assertThat(hop.reason()).isEqualTo("quota_exceeded");
		RequestCompletedEvent completed = fixture.events(RequestCompletedEvent.class).get(0);
		assertThat(completed.servedBy()).isEqualTo("secondary");
		assertThat(completed.outcome()).isEqualTo("success");
		assertThat(completed.fallbacks()).isEqualTo(1);
		assertThat(completed.streaming()).isFalse();
	}

	@Test
	void aFailedRequestCompletesWithItsCategory() {
		Fixture fixture = new Fixture();
		fixture.failing("primary", Step.fail(ErrorCategory.BAD_REQUEST).status(400));
		FallbackEngine engine = fixture.chain("primary").engine();

		fixture.run(engine.chatService().chat(ChatRequest.of("hi")));

		RequestCompletedEvent completed = fixture.events(RequestCompletedEvent.class).get(0);
		assertThat(completed.servedBy()).isNull();
		assertThat(completed.outcome()).isEqualTo("bad_request");
		assertThat(completed.error().category()).isEqualTo(ErrorCategory.BAD_REQUEST);
	}

	@Test
	void aFailingListenerNeverBreaksACall() {
		List<FallbackEvent> seen = new CopyOnWriteArrayList<>();
		FallbackEngine engine = FallbackEngine.builder()
			.provider(ScriptedProvider.replying("p", "answer"))
			.model(ModelDefinition.builder("m").provider("p").build())
			.policy(FallbackPolicy.builder("chat").models("m").build())
			.listener((event) -> {
				throw new IllegalStateException("listener bug");
			})
			.listener(seen::add)
			.build();

		StepVerifier.create(engine.chatService().chat(ChatRequest.of("hi")))
			.assertNext((response) -> assertThat(response.content()).isEqualTo("answer"))
			.verifyComplete();
		assertThat(seen).hasSize(2);
	}

	@Test
	void aRequestNamingAPolicyUsesIt() {
		FallbackEngine engine = FallbackEngine.builder()
			.provider(ScriptedProvider.replying("p", "from p"))
			.provider(ScriptedProvider.replying("q", "from q"))
			.model(ModelDefinition.builder("a").provider("p").build())
			.model(ModelDefinition.builder("b").provider("q").build())
			.policy(FallbackPolicy.builder("first").models("a").build())
			.policy(FallbackPolicy.builder("second").models("b").build())
			.defaultPolicy("first")
			.build();

		assertThat(engine.chatService().chat(ChatRequest.builder().user("hi").policy("second").build()).block().servedBy())
			.isEqualTo("b");
		assertThat(engine.chatService("second").chat(ChatRequest.of("hi")).block().servedBy()).isEqualTo("b");
		assertThat(engine.chatService().chat(ChatRequest.of("hi")).block().servedBy()).isEqualTo("a");
	}

	@Test
	void aRequestNamingAnUnknownPolicyIsABadRequest() {
		FallbackEngine engine = FallbackEngine.builder()
			.provider(ScriptedProvider.replying("p", "hi"))
			.model(ModelDefinition.builder("a").provider("p").build())
			.policy(FallbackPolicy.builder("chat").models("a").build())
			.build();

		StepVerifier.create(engine.chatService().chat(ChatRequest.builder().user("hi").policy("nope").build()))
			.expectErrorSatisfies((error) -> {
				assertThat(((LlmException) error).category()).isEqualTo(ErrorCategory.BAD_REQUEST);
				assertThat(error.getMessage()).contains("'nope'").contains("chat");
			})
			.verify();
		assertThatIllegalArgumentException().isThrownBy(() -> engine.chatService("nope"));
	}

	@Test
	void anInvalidRequestIsABadRequestBeforeAnyCall() {
		assertThatExceptionOfType(LlmException.class).isThrownBy(() -> ChatRequest.builder().build())
			.satisfies((ex) -> assertThat(ex.category()).isEqualTo(ErrorCategory.BAD_REQUEST));
		assertThatExceptionOfType(LlmException.class)
			.isThrownBy(() -> ChatRequest.builder().user("hi").temperature(-1.0).build())
			.satisfies((ex) -> assertThat(ex.getMessage()).contains("temperature"));
	}

	@Test
	void callBlocksForTheAnswerOffReactorThreads() {
		FallbackEngine engine = FallbackEngine.builder()
			.provider(ScriptedProvider.replying("p", "blocking answer"))
			.model(ModelDefinition.builder("a").provider("p").build())
			.policy(FallbackPolicy.builder("chat").models("a").build())
			.build();

		assertThat(engine.chatService().call("hi")).isEqualTo("blocking answer");
	}

	@Test
	void callRefusesOnAReactorThread() {
		FallbackEngine engine = FallbackEngine.builder()
			.provider(ScriptedProvider.replying("p", "answer"))
			.model(ModelDefinition.builder("a").provider("p").build())
			.policy(FallbackPolicy.builder("chat").models("a").build())
			.build();

		StepVerifier
			.create(Mono.fromCallable(() -> engine.chatService().call("hi")).subscribeOn(Schedulers.parallel()))
			.expectErrorSatisfies((error) -> assertThat(error).isInstanceOf(IllegalStateException.class)
				.hasMessageContaining("non-blocking thread")
				.hasMessageContaining("use chat(ChatRequest)")
				.hasMessageContaining("Schedulers.boundedElastic()"))
			.verify(Duration.ofSeconds(10));
		StepVerifier
			.create(Mono.fromCallable(() -> engine.chatService().call("chat", "hi")).subscribeOn(Schedulers.parallel()))
			.expectError(IllegalStateException.class)
			.verify(Duration.ofSeconds(10));
	}

	@Test
	void policyStatusReadsEachModelOfTheChainFromItsCircuit() {
		Fixture fixture = new Fixture();
		fixture.failing("a", Step.fail(ErrorCategory.AUTHENTICATION).status(401));
		fixture.healthy("b");
		FallbackEngine engine = fixture.chain("a", "b").engine();

		assertThat(engine.policyStatus("chat").available()).isTrue();
		fixture.run(engine.chatService().chat(ChatRequest.of("hi"))).get();
		engine.resetCooldown("b");

		PolicyStatus status = engine.policyStatus("chat");
		assertThat(status.policy()).isEqualTo("chat");
		assertThat(status.models()).extracting(ModelStatus::model, ModelStatus::state)
			.containsExactly(org.assertj.core.groups.Tuple.tuple("a", ModelStatus.State.COOLING_DOWN),
					org.assertj.core.groups.Tuple.tuple("b", ModelStatus.State.AVAILABLE));
		assertThat(status.available()).isTrue();
		assertThatIllegalArgumentException().isThrownBy(() -> engine.policyStatus("nope"))
			.withMessageContaining("configured policies: chat");
	}

	@Test
	void callWithAPolicyNameWalksThatPolicy() {
		FallbackEngine engine = FallbackEngine.builder()
			.provider(ScriptedProvider.replying("p", "from a"))
			.provider(ScriptedProvider.replying("q", "from b"))
			.model(ModelDefinition.builder("a").provider("p").build())
			.model(ModelDefinition.builder("b").provider("q").build())
			.policy(FallbackPolicy.builder("chat").models("a").build())
			.policy(FallbackPolicy.builder("other").models("b").build())
			.defaultPolicy("chat")
			.build();

		assertThat(engine.chatService().call("other", "hi")).isEqualTo("from b");
		assertThat(engine.chatService().call("hi")).isEqualTo("from a");
		assertThatExceptionOfType(LlmException.class).isThrownBy(() -> engine.chatService().call("nope", "hi"))
			.satisfies((error) -> assertThat(error.category()).isEqualTo(ErrorCategory.BAD_REQUEST));
	}

	@Test
	void anExceptionThatIsNotClassifiedBecomesInvalidResponse() {
		Fixture fixture = new Fixture();
		ScriptedProvider healthy = fixture.healthy("secondary");
		FallbackEngine engine = FallbackEngine.builder()
			.provider(new BrokenProvider())
			.provider(healthy)
			.model(ModelDefinition.builder("broken").provider("broken").build())
			.model(ModelDefinition.builder("secondary").provider("secondary").build())
			.policy(FallbackPolicy.builder("chat").models("broken", "secondary").build())
			.scheduler(fixture.time)
			.build();

		ChatResponse response = fixture.run(engine.chatService().chat(ChatRequest.of("hi"))).get();

		assertThat(response.attempts()).extracting("outcome")
			.containsExactly("invalid_response", "invalid_response", "invalid_response", "success");
	}

	@Test
	void aModelServiceCallsOnlyThatModelWithTheDefaultPolicysRules() {
		Fixture fixture = new Fixture();
		ScriptedProvider primary = fixture.healthy("primary", Step.fail(ErrorCategory.SERVER_ERROR));
		ScriptedProvider secondary = fixture.healthy("secondary");
		FallbackEngine engine = fixture.chain("primary", "secondary").engine();

		ChatResponse response = fixture.run(engine.modelService("primary").chat(ChatRequest.of("hi"))).get();

		assertThat(response.servedBy()).isEqualTo("primary");
		assertThat(response.attempts()).extracting("outcome").containsExactly("server_error", "success");
		assertThat(secondary.calls()).isZero();
		assertThat(primary.calls()).isEqualTo(2);
		assertThat(fixture.events(RequestCompletedEvent.class)).singleElement()
			.satisfies((event) -> assertThat(event.policy()).isEqualTo("model:primary"));
		assertThat(engine.modelService("primary")).isSameAs(engine.modelService("primary"));
		assertThatIllegalArgumentException().isThrownBy(() -> engine.modelService("nope"));
	}

	/** A provider whose adapter throws an unclassified exception at assembly time. */
	private static final class BrokenProvider implements dev.llmfallback.provider.ChatProvider {

		@Override
		public String name() {
			return "broken";
		}

		@Override
		public Mono<dev.llmfallback.provider.ProviderResponse> chat(dev.llmfallback.provider.ProviderRequest request) {
			throw new NullPointerException("adapter bug");
		}

		@Override
		public reactor.core.publisher.Flux<dev.llmfallback.provider.ProviderChunk> stream(
				dev.llmfallback.provider.ProviderRequest request) {
			return reactor.core.publisher.Flux.error(new NullPointerException("adapter bug"));
		}

	}

}
