package dev.llmfallback.engine;

import java.util.List;

import io.micrometer.observation.Observation;
import io.micrometer.observation.tck.TestObservationRegistry;
import org.junit.jupiter.api.Test;

import dev.llmfallback.ChatChunk;
import dev.llmfallback.ChatRequest;
import dev.llmfallback.ChatService;
import dev.llmfallback.ErrorCategory;
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
		this.fixture.policy(dev.llmfallback.policy.FallbackPolicy.builder("embed").models("vectors").build());
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

}
