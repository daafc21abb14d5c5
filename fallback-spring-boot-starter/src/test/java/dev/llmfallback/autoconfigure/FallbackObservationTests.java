package dev.llmfallback.autoconfigure;

import java.time.Duration;
import java.util.Set;
import java.util.stream.Collectors;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import dev.llmfallback.ChatRequest;
import dev.llmfallback.ChatService;
import dev.llmfallback.ErrorCategory;
import dev.llmfallback.autoconfigure.metrics.FallbackMetricsAutoConfiguration;
import dev.llmfallback.provider.ChatProvider;
import dev.llmfallback.testing.ScriptedProvider;
import dev.llmfallback.testing.Step;

import static io.micrometer.observation.tck.TestObservationRegistryAssert.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

/** The engine observes each request in the application's {@link ObservationRegistry}. */
class FallbackObservationTests {

	private static final String OBSERVATION = "llm.fallback.operation";

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(FallbackAutoConfiguration.class))
		.withBean("primary", ChatProvider.class,
				() -> ScriptedProvider.builder("primary")
					.then(Step.fail(ErrorCategory.SERVICE_UNAVAILABLE).status(503))
					.build())
		.withBean("secondary", ChatProvider.class, () -> ScriptedProvider.replying("secondary", "hello"))
		.withPropertyValues("llm.fallback.models.primary.provider=primary",
				"llm.fallback.models.secondary.provider=secondary",
				"llm.fallback.policies.chat.models=primary,secondary",
				"llm.fallback.policies.chat.retry.max-retries=0");

	@Test
	void eachChatIsOneObservation() {
		this.runner.withBean(TestObservationRegistry.class, TestObservationRegistry::create).run((context) -> {
			context.getBean(ChatService.class).chat(ChatRequest.of("hi")).block(Duration.ofSeconds(10));
			assertThat(context.getBean(TestObservationRegistry.class))
				.hasNumberOfObservationsWithNameEqualTo(OBSERVATION, 1)
				.hasObservationWithNameEqualTo(OBSERVATION)
				.that()
				.hasLowCardinalityKeyValue("policy", "chat")
				.hasLowCardinalityKeyValue("outcome", "success")
				.hasLowCardinalityKeyValue("served.by", "secondary")
				.hasLowCardinalityKeyValue("fallbacks", "1")
				.hasLowCardinalityKeyValue("stream", "false")
				.hasBeenStopped();
		});
	}

	@Test
	void eachStreamIsOneObservation() {
		this.runner.withBean(TestObservationRegistry.class, TestObservationRegistry::create).run((context) -> {
			context.getBean(ChatService.class).stream(ChatRequest.of("hi")).blockLast(Duration.ofSeconds(10));
			assertThat(context.getBean(TestObservationRegistry.class))
				.hasNumberOfObservationsWithNameEqualTo(OBSERVATION, 1)
				.hasObservationWithNameEqualTo(OBSERVATION)
				.that()
				.hasLowCardinalityKeyValue("policy", "chat")
				.hasLowCardinalityKeyValue("outcome", "success")
				.hasLowCardinalityKeyValue("served.by", "secondary")
				.hasLowCardinalityKeyValue("fallbacks", "1")
				.hasLowCardinalityKeyValue("stream", "true")
				.hasBeenStopped();
		});
	}

	@Test
	void theObservationsTimerDoesNotClashWithTheRequestTimer() {
		this.runner
			.withConfiguration(AutoConfigurations.of(ObservationAutoConfiguration.class, MetricsAutoConfiguration.class,
					FallbackMetricsAutoConfiguration.class))
			.withBean(SimpleMeterRegistry.class)
			.run((context) -> {
				context.getBean(ChatService.class).chat(ChatRequest.of("hi")).block(Duration.ofSeconds(10));
				MeterRegistry registry = context.getBean(MeterRegistry.class);
				assertThat(tagKeys(registry.get("llm.fallback.requests").timer()))
					.containsExactlyInAnyOrder("policy", "served.by", "outcome", "fallbacks", "operation");
				assertThat(registry.get("llm.fallback.requests").timer().count()).isOne();
				assertThat(registry.get(OBSERVATION).timer().count()).isOne();
			});
	}

	private static Set<String> tagKeys(Meter meter) {
		return meter.getId().getTags().stream().map(Tag::getKey).collect(Collectors.toSet());
	}

}
