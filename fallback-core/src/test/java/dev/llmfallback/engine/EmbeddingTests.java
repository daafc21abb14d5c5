package dev.llmfallback.engine;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import dev.llmfallback.ChatRequest;
import dev.llmfallback.EmbeddingRequest;
import dev.llmfallback.EmbeddingResponse;
import dev.llmfallback.ErrorCategory;
import dev.llmfallback.FallbackExhaustedException;
import dev.llmfallback.LlmException;
import dev.llmfallback.SkipReason;
import dev.llmfallback.Usage;
import dev.llmfallback.policy.CooldownSpec;
import dev.llmfallback.policy.FallbackPolicy;
import dev.llmfallback.policy.ModelDefinition;
import dev.llmfallback.policy.ModelType;
import dev.llmfallback.testing.ScriptedProvider;
import dev.llmfallback.testing.Step;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/** Embeddings over the one walk: fallback, checked vectors, batching, and the per-input window check. */
class EmbeddingTests {

	private static final List<String> INPUTS = List.of("alpha", "beta", "gamma");

	private static Fixture embedChain(Fixture fixture, String... models) {
		return fixture.policy(FallbackPolicy.builder("embed")
			.models(models)
			.retry(Fixture.EXACT_RETRY)
			.cooldown(CooldownSpec.builder().failures(100).build())
			.build());
	}

	@Test
	void vectorsComeInInputOrderWithTheWalksRecord() {
		Fixture fixture = new Fixture();
		fixture.embedding("primary", 8, Step.reply("").usage(Usage.of(3, 0)).providerModel("primary-001"));
		FallbackEngine engine = embedChain(fixture, "primary").engine();

		EmbeddingResponse response = fixture.run(engine.embeddingService().embed(EmbeddingRequest.of(INPUTS))).get();

		assertThat(response.embeddings()).hasSize(3);
		for (int i = 0; i < INPUTS.size(); i++) {
			assertThat(response.embeddings().get(i)).containsExactly(ScriptedProvider.vectorsOf(List.of(INPUTS.get(i)), 8).get(0));
		}
		assertThat(response.servedBy()).isEqualTo("primary");
		assertThat(response.provider()).isEqualTo("primary");
		assertThat(response.providerModel()).isEqualTo("primary-001");
		assertThat(response.usage()).isEqualTo(Usage.of(3, 0));
		assertThat(response.dimensions()).isEqualTo(8);
		assertThat(response.attempts()).singleElement().satisfies((attempt) -> assertThat(attempt.succeeded()).isTrue());
	}

	@Test
	void aFailingModelIsRetriedThenFallsBackAndTheWholeAnswerComesFromTheFallback() {
		Fixture fixture = new Fixture();
		ScriptedProvider primary = fixture.embedding("primary", 8, (builder) -> builder.otherwise(Step.fail(ErrorCategory.SERVICE_UNAVAILABLE).status(503)));
		fixture.embedding("secondary", 8);
		FallbackEngine engine = embedChain(fixture, "primary", "secondary").engine();

		EmbeddingResponse response = fixture.run(engine.embeddingService().embed(EmbeddingRequest.of(INPUTS))).get();

		assertThat(response.servedBy()).isEqualTo("secondary");
		assertThat(primary.embeddingRequests()).hasSize(3);
		assertThat(fixture.attemptOutcomes()).containsExactly("primary:primary:service_unavailable",
				"primary:retry:service_unavailable", "primary:retry:service_unavailable", "secondary:fallback:success");
		assertThat(fixture.hops()).containsExactly("primary->secondary:service_unavailable");
		// Retries waited 100 ms and 200 ms on the engine's clock.
		assertThat(fixture.time.now(java.util.concurrent.TimeUnit.MILLISECONDS)).isEqualTo(300);
	}

	@Test
	void aVectorOfTheWrongLengthIsAnInvalidResponseNeverReturned() {
		Fixture fixture = new Fixture();
		fixture.embedding("primary", 8, (builder) -> builder.vectors((inputs) -> ScriptedProvider.vectorsOf(inputs, 4)));
		fixture.embedding("secondary", 8);
		FallbackEngine engine = embedChain(fixture, "primary", "secondary").engine();

		EmbeddingResponse response = fixture.run(engine.embeddingService().embed(EmbeddingRequest.of(INPUTS))).get();

		assertThat(response.servedBy()).isEqualTo("secondary");
		assertThat(response.embeddings()).allSatisfy((vector) -> assertThat(vector).hasSize(8));
		assertThat(fixture.attemptOutcomes()).containsExactly("primary:primary:invalid_response",
				"primary:retry:invalid_response", "primary:retry:invalid_response", "secondary:fallback:success");
	}

	@Test
	void aMissingOrExtraVectorOrANonFiniteNumberIsAnInvalidResponse() {
		assertInvalid((inputs) -> ScriptedProvider.vectorsOf(inputs.subList(1, inputs.size()), 8), "3 inputs");
		assertInvalid((inputs) -> {
			List<float[]> vectors = new ArrayList<>(ScriptedProvider.vectorsOf(inputs, 8));
			vectors.add(new float[8]);
			return vectors;
		}, "4 vectors for 3 inputs");
		assertInvalid((inputs) -> {
			List<float[]> vectors = ScriptedProvider.vectorsOf(inputs, 8);
			vectors.get(2)[5] = Float.NaN;
			return vectors;
		}, "not finite (NaN) for input 2");
		assertInvalid((inputs) -> {
			List<float[]> vectors = ScriptedProvider.vectorsOf(inputs, 8);
			vectors.get(1)[0] = Float.POSITIVE_INFINITY;
			return vectors;
		}, "not finite (Infinity) for input 1");
	}

	private static void assertInvalid(java.util.function.Function<List<String>, List<float[]>> vectors, String text) {
		Fixture fixture = new Fixture();
		fixture.embedding("only", 8, (builder) -> builder.vectors(vectors));
		FallbackEngine engine = embedChain(fixture, "only").engine();

		Throwable error = fixture.run(engine.embeddingService().embed(EmbeddingRequest.of(INPUTS))).error();

		assertThat(error).isInstanceOf(FallbackExhaustedException.class);
		assertThat(((FallbackExhaustedException) error).attempts()).hasSize(3);
		LlmException last = (LlmException) error.getCause();
		assertThat(last.category()).isEqualTo(ErrorCategory.INVALID_RESPONSE);
		assertThat(last.getMessage()).contains(text);
	}

	@Test
	void inputsAboveTheBatchLimitAreSplitAndJoinedInOrder() {
		Fixture fixture = new Fixture();
		ScriptedProvider primary = fixture.embedding("primary", 8, (builder) -> builder.maxBatchSize(4),
				Step.reply("").usage(Usage.of(4, 0)), Step.reply("").usage(Usage.of(4, 0)),
				Step.reply("").usage(Usage.of(2, 0)));
		FallbackEngine engine = embedChain(fixture, "primary").engine();
		List<String> inputs = new ArrayList<>();
		for (int i = 0; i < 10; i++) {
			inputs.add("text " + i);
		}

		EmbeddingResponse response = fixture.run(engine.embeddingService().embed(EmbeddingRequest.of(inputs))).get();

		assertThat(primary.embeddingRequests()).extracting((request) -> request.inputs().size()).containsExactly(4, 4, 2);
		List<float[]> expected = ScriptedProvider.vectorsOf(inputs, 8);
		for (int i = 0; i < inputs.size(); i++) {
			assertThat(response.embeddings().get(i)).containsExactly(expected.get(i));
		}
		assertThat(response.usage()).isEqualTo(new Usage(10, 0, 10));
		assertThat(response.attempts()).hasSize(1);
	}

	@Test
	void aFailedBatchFallsBackAsAWholeSoOneAnswerNeverMixesModels() {
		Fixture fixture = new Fixture();
		ScriptedProvider primary = fixture.embedding("primary", 8,
				(builder) -> builder.maxBatchSize(2).otherwise(Step.fail(ErrorCategory.AUTHENTICATION).status(401)),
				Step.reply(""));
		ScriptedProvider secondary = fixture.embedding("secondary", 8, (builder) -> builder.maxBatchSize(100));
		FallbackEngine engine = embedChain(fixture, "primary", "secondary").engine();

		EmbeddingResponse response = fixture.run(engine.embeddingService().embed(EmbeddingRequest.of(INPUTS))).get();

		// The first batch of two succeeded, the second failed: the whole request moved on.
		assertThat(primary.embeddingRequests()).hasSize(2);
		assertThat(secondary.embeddingRequests()).singleElement()
			.satisfies((request) -> assertThat(request.inputs()).isEqualTo(INPUTS));
		assertThat(response.servedBy()).isEqualTo("secondary");
		assertThat(fixture.attemptOutcomes()).containsExactly("primary:primary:authentication", "secondary:fallback:success");
	}

	@Test
	void theContextWindowIsCheckedPerInput() {
		Fixture fixture = new Fixture();
		ScriptedProvider small = fixture.model(ModelDefinition.builder("small")
			.provider("small")
			.type(ModelType.EMBEDDING)
			.dimensions(8)
			.maxInputTokens(100)
			.build());
		fixture.model(ModelDefinition.builder("large")
			.provider("large")
			.type(ModelType.EMBEDDING)
			.dimensions(8)
			.maxInputTokens(8000)
			.build());
		FallbackEngine engine = embedChain(fixture, "small", "large").engine();
		// Many short inputs together exceed 100 tokens, but none does on its own.
		List<String> shortInputs = java.util.Collections.nCopies(50, "a short sentence of a few words");

		assertThat(fixture.run(engine.embeddingService().embed(EmbeddingRequest.of(shortInputs))).get().servedBy())
			.isEqualTo("small");
		EmbeddingResponse longOne = fixture
			.run(engine.embeddingService().embed(EmbeddingRequest.of("short", "lorem ipsum dolor sit amet ".repeat(100))))
			.get();
		assertThat(longOne.servedBy()).isEqualTo("large");
		assertThat(longOne.attempts().get(0).skipReason()).isEqualTo(SkipReason.CONTEXT_WINDOW);
		assertThat(small.embeddingRequests()).hasSize(1);
	}

	@Test
	void askedDimensionsAreSentAndAModelThatCannotShortenIsPassedOver() {
		Fixture fixture = new Fixture();
		ScriptedProvider primary = fixture.embedding("primary", 8);
		FallbackEngine engine = embedChain(fixture, "primary").engine();

		EmbeddingResponse response = fixture
			.run(engine.embeddingService().embed(EmbeddingRequest.of(INPUTS).withDimensions(4)
				.withInputType(EmbeddingRequest.InputType.QUERY)))
			.get();

		assertThat(response.dimensions()).isEqualTo(4);
		assertThat(primary.embeddingRequests().get(0).dimensions()).isEqualTo(4);
		assertThat(primary.embeddingRequests().get(0).inputType()).isEqualTo(EmbeddingRequest.InputType.QUERY);
	}

	@Test
	void aLengthTheModelGivesAnywayIsNotSent() {
		Fixture fixture = new Fixture();
		ScriptedProvider primary = fixture.embedding("primary", 8);
		FallbackEngine engine = embedChain(fixture, "primary").engine();

		fixture.run(engine.embeddingService().embed(EmbeddingRequest.of(INPUTS).withDimensions(8))).get();

		assertThat(primary.embeddingRequests().get(0).dimensions()).isNull();
	}

	@Test
	void configuredDimensionsBelowTheCatalogueLengthAreSentToShortenVectors() {
		Fixture fixture = new Fixture();
		ScriptedProvider large = fixture.model(ModelDefinition.builder("large")
			.provider("large")
			.model("text-embedding-3-large")
			.type(ModelType.EMBEDDING)
			.dimensions(256)
			.build());
		FallbackEngine engine = embedChain(fixture, "large").engine();

		EmbeddingResponse response = fixture.run(engine.embeddingService().embed(EmbeddingRequest.of(INPUTS))).get();

		assertThat(large.embeddingRequests().get(0).dimensions()).isEqualTo(256);
		assertThat(response.dimensions()).isEqualTo(256);
	}

	@Test
	void chatAndEmbeddingPoliciesAreKeptApartAtRunTime() {
		Fixture fixture = new Fixture();
		fixture.healthy("chat-model");
		fixture.embedding("embed-model", 8);
		fixture.chain("chat-model");
		embedChain(fixture, "embed-model");
		FallbackEngine engine = fixture.builder().defaultPolicy(null).build();

		assertThat(engine.defaultPolicy()).isEqualTo("chat");
		assertThat(engine.defaultEmbeddingPolicy()).isEqualTo("embed");
		LlmException refused = fixture.run(engine.chatService().chat(ChatRequest.builder().policy("embed").user("hi").build()))
			.failure();
		assertThat(refused.category()).isEqualTo(ErrorCategory.BAD_REQUEST);
		LlmException refusedEmbedding = fixture
			.run(engine.embeddingService().embed(EmbeddingRequest.of(INPUTS).withPolicy("chat")))
			.failure();
		assertThat(refusedEmbedding.category()).isEqualTo(ErrorCategory.BAD_REQUEST);
		assertThatIllegalArgumentException().isThrownBy(() -> engine.embeddingService("chat"))
			.withMessageContaining("chat policy");
	}

	@Test
	void aBlockingEmbedAnswersVectorsOffTheEventLoop() {
		Fixture fixture = new Fixture();
		fixture.embedding("only", 8);
		FallbackEngine engine = embedChain(fixture, "only").builder().scheduler(Schedulers.parallel()).build();

		assertThat(engine.embeddingService().embed(INPUTS)).hasSize(3);
		assertThatIllegalStateException().isThrownBy(() -> Mono.fromCallable(() -> engine.embeddingService().embed(INPUTS))
			.subscribeOn(Schedulers.parallel())
			.block())
			.withMessageContaining("EmbeddingService.embed(List) blocks");
	}

	@Test
	void aModelServiceEmbedsWithOneModelOnly() {
		Fixture fixture = new Fixture();
		fixture.embedding("primary", 8, (builder) -> builder.otherwise(Step.fail(ErrorCategory.AUTHENTICATION)));
		fixture.embedding("secondary", 8);
		FallbackEngine engine = embedChain(fixture, "primary", "secondary").engine();

		EmbeddingResponse response = fixture.run(engine.embeddingModelService("secondary").embed(EmbeddingRequest.of(INPUTS)))
			.get();
		assertThat(response.servedBy()).isEqualTo("secondary");
		assertThat(fixture.run(engine.embeddingModelService("primary").embed(EmbeddingRequest.of(INPUTS))).failure()
			.category()).isEqualTo(ErrorCategory.AUTHENTICATION);
		assertThat(fixture.events(dev.llmfallback.event.RequestCompletedEvent.class))
			.extracting(dev.llmfallback.event.RequestCompletedEvent::policy, dev.llmfallback.event.RequestCompletedEvent::operation)
			.containsExactly(org.assertj.core.groups.Tuple.tuple("model:secondary", "embeddings"),
					org.assertj.core.groups.Tuple.tuple("model:primary", "embeddings"));
	}

}
