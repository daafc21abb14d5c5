package dev.llmfallback.autoconfigure.metrics;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import dev.llmfallback.ChatChunk;
import dev.llmfallback.ChatRequest;
import dev.llmfallback.ChatResponse;
import dev.llmfallback.ChatService;
import dev.llmfallback.ErrorCategory;
import dev.llmfallback.LlmException;
import dev.llmfallback.LlmException.ClassificationBasis;
import dev.llmfallback.Usage;
import dev.llmfallback.autoconfigure.FallbackAutoConfiguration;
import dev.llmfallback.provider.ChatProvider;
import dev.llmfallback.testing.ScriptedProvider;
import dev.llmfallback.testing.Step;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The meters after scripted failures: names, tag keys and values, counts. Retries wait zero, so no
 * test waits at all.
 */
class FallbackMetricsRecordingTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(FallbackAutoConfiguration.class, MetricsAutoConfiguration.class,
				FallbackMetricsAutoConfiguration.class))
		// Spring AI is on the test classpath (the bridge's tests); these tests are about an application without it.
		.withClassLoader(new FilteredClassLoader("org.springframework.ai"))
		.withBean(SimpleMeterRegistry.class)
		.withPropertyValues("llm.fallback.models.primary.provider=primary",
				"llm.fallback.models.primary.model=primary-model", "llm.fallback.models.secondary.provider=secondary",
				"llm.fallback.models.secondary.model=secondary-model",
				"llm.fallback.policies.chat.models=primary,secondary",
				"llm.fallback.policies.chat.retry.max-retries=1",
				"llm.fallback.policies.chat.retry.initial-backoff=0ms",
				"llm.fallback.policies.chat.retry.max-backoff=0ms");

	private ApplicationContextRunner primaryFails(Step... script) {
		return this.runner
			.withBean("primary", ChatProvider.class,
					() -> ScriptedProvider.builder("primary").type("azure-openai").then(script).build())
			.withBean("secondary", ChatProvider.class,
					() -> ScriptedProvider.builder("secondary")
						.type("gemini")
						.otherwise(Step.reply("from secondary")
							.providerModel("secondary-model-001")
							.usage(Usage.of(12, 3)))
						.build());
	}

	@Test
	void twoServiceUnavailableThenTheSecondaryServes() {
		Step unavailable = Step.fail(ErrorCategory.SERVICE_UNAVAILABLE).status(503);
		primaryFails(unavailable, unavailable).run((context) -> {
			assertThat(chat(context).servedBy()).isEqualTo("secondary");
			MeterRegistry registry = registry(context);
			assertThat(counts(registry, "llm.fallback.attempts")).containsExactlyInAnyOrderEntriesOf(Map.of(
					"deployment=primary/primary-model,kind=primary,model=primary,operation=chat,outcome=service_unavailable,policy=chat,provider=primary", 1.0,
					"deployment=primary/primary-model,kind=retry,model=primary,operation=chat,outcome=service_unavailable,policy=chat,provider=primary", 1.0,
					"deployment=secondary/secondary-model,kind=fallback,model=secondary,operation=chat,outcome=success,policy=chat,provider=secondary", 1.0));
			assertThat(counts(registry, "llm.fallback.hops")).containsExactlyInAnyOrderEntriesOf(
					Map.of("from=primary,policy=chat,reason=service_unavailable,to=secondary", 1.0));
			assertThat(counts(registry, "llm.fallback.requests")).containsExactlyInAnyOrderEntriesOf(
					Map.of("fallbacks=1,operation=chat,outcome=success,policy=chat,served.by=secondary", 1.0));
			assertThat(registry.find("llm.fallback.cooldowns").meters()).isEmpty();
			assertThat(registry.find("llm.fallback.unclassified").meters()).isEmpty();
		});
	}

	@Test
	void everyModelCallIsAGenAiOperation() {
		Step unavailable = Step.fail(ErrorCategory.SERVICE_UNAVAILABLE).status(503);
		primaryFails(unavailable, unavailable).run((context) -> {
			chat(context);
			MeterRegistry registry = registry(context);
			assertThat(counts(registry, "gen_ai.client.operation.duration")).containsExactlyInAnyOrderEntriesOf(Map.of(
					"error.type=service_unavailable,gen_ai.operation.name=chat,gen_ai.provider.name=azure.ai.openai,"
							+ "gen_ai.request.model=primary-model,gen_ai.response.model=none",
					2.0,
					"error.type=none,gen_ai.operation.name=chat,gen_ai.provider.name=gcp.gemini,"
							+ "gen_ai.request.model=secondary-model,gen_ai.response.model=secondary-model-001",
					1.0));
			String success = "error.type=none,gen_ai.operation.name=chat,gen_ai.provider.name=gcp.gemini,"
					+ "gen_ai.request.model=secondary-model,gen_ai.response.model=secondary-model-001,";
			assertThat(totals(registry, "gen_ai.client.token.usage")).containsExactlyInAnyOrderEntriesOf(
					Map.of(success + "gen_ai.token.type=input", 12.0, success + "gen_ai.token.type=output", 3.0));
		});
	}

	@Test
	void aLongRetryAfterHopsAtOnceAndCoolsTheModelDown() {
		Step rateLimited = Step.fail(ErrorCategory.RATE_LIMIT).status(429).retryAfter(Duration.ofMinutes(5));
		primaryFails(rateLimited).run((context) -> {
			chat(context);
			MeterRegistry registry = registry(context);
			assertThat(counts(registry, "llm.fallback.cooldowns"))
				.containsExactlyInAnyOrderEntriesOf(Map.of("deployment=primary/primary-model,model=primary,provider=primary,reason=rate_limit", 1.0));
			assertThat(counts(registry, "llm.fallback.hops")).containsExactlyInAnyOrderEntriesOf(
					Map.of("from=primary,policy=chat,reason=rate_limit,to=secondary", 1.0));
			assertThat(gauges(registry, "llm.fallback.model.available")).containsExactlyInAnyOrderEntriesOf(
					Map.of("deployment=primary/primary-model,model=primary,provider=primary", 0.0,
							"deployment=secondary/secondary-model,model=secondary,provider=secondary", 1.0));
		});
	}

	@Test
	void aModelCoolingDownIsCountedAsSkippedAndMakesNoGenAiOperation() {
		Step rateLimited = Step.fail(ErrorCategory.RATE_LIMIT).status(429).retryAfter(Duration.ofMinutes(5));
		primaryFails(rateLimited).run((context) -> {
			chat(context);
			chat(context);
			MeterRegistry registry = registry(context);
			assertThat(counts(registry, "llm.fallback.attempts")).containsExactlyInAnyOrderEntriesOf(Map.of(
					"deployment=primary/primary-model,kind=primary,model=primary,operation=chat,outcome=rate_limit,policy=chat,provider=primary", 1.0,
					"deployment=none,kind=primary,model=primary,operation=chat,outcome=skipped,policy=chat,provider=primary", 1.0,
					"deployment=secondary/secondary-model,kind=fallback,model=secondary,operation=chat,outcome=success,policy=chat,provider=secondary", 2.0));
			assertThat(counts(registry, "llm.fallback.hops")).containsExactlyInAnyOrderEntriesOf(
					Map.of("from=primary,policy=chat,reason=rate_limit,to=secondary", 1.0,
							"from=primary,policy=chat,reason=cooldown,to=secondary", 1.0));
			assertThat(counts(registry, "gen_ai.client.operation.duration").values()).containsExactlyInAnyOrder(1.0,
					2.0);
		});
	}

	@Test
	void aFailureOnlyItsStatusClassifiedIsCountedAsUnclassified() {
		Step statusOnly = Step.fail(LlmException.builder(ErrorCategory.SERVER_ERROR)
			.message("HTTP 500")
			.httpStatus(500)
			.basis(ClassificationBasis.STATUS)
			.build());
		primaryFails(statusOnly, Step.fail(ErrorCategory.SERVER_ERROR).status(500)).run((context) -> {
			chat(context);
			assertThat(counts(registry(context), "llm.fallback.unclassified"))
				.containsExactlyInAnyOrderEntriesOf(Map.of("provider=primary,status=500", 1.0));
		});
	}

	@Test
	void aRequestNoModelServedIsTimedAsServedByNone() {
		Step badRequest = Step.fail(ErrorCategory.BAD_REQUEST).status(400);
		primaryFails(badRequest).run((context) -> {
			assertThatExceptionOfType(LlmException.class).isThrownBy(() -> chat(context));
			assertThat(counts(registry(context), "llm.fallback.requests")).containsExactlyInAnyOrderEntriesOf(
					Map.of("fallbacks=0,operation=chat,outcome=bad_request,policy=chat,served.by=none", 1.0));
		});
	}

	@Test
	void aStreamIsRecordedLikeAChat() {
		Step unavailable = Step.fail(ErrorCategory.SERVICE_UNAVAILABLE).status(503);
		primaryFails(unavailable, unavailable).run((context) -> {
			List<ChatChunk> chunks = context.getBean(ChatService.class)
				.stream(ChatRequest.of("hi"))
				.collectList()
				.block(Duration.ofSeconds(10));
			assertThat(chunks.get(chunks.size() - 1).servedBy()).isEqualTo("secondary");
			MeterRegistry registry = registry(context);
			assertThat(counts(registry, "llm.fallback.requests")).containsExactlyInAnyOrderEntriesOf(
					Map.of("fallbacks=1,operation=chat,outcome=success,policy=chat,served.by=secondary", 1.0));
			assertThat(counts(registry, "gen_ai.client.operation.duration").values()).containsExactlyInAnyOrder(2.0,
					1.0);
		});
	}

	private static ChatResponse chat(AssertableApplicationContext context) {
		return context.getBean(ChatService.class).chat(ChatRequest.of("hi")).block(Duration.ofSeconds(10));
	}

	private static MeterRegistry registry(AssertableApplicationContext context) {
		return context.getBean(MeterRegistry.class);
	}

	/** Each meter of that name by its tags ({@code key=value,...} sorted by key): its count. */
	private static Map<String, Double> counts(MeterRegistry registry, String name) {
		return byTags(registry.find(name).meters(), (meter) -> {
			if (meter instanceof Counter counter) {
				return counter.count();
			}
			if (meter instanceof Timer timer) {
				return (double) timer.count();
			}
			return (double) ((DistributionSummary) meter).count();
		});
	}

	private static Map<String, Double> totals(MeterRegistry registry, String name) {
		return byTags(registry.find(name).summaries().stream().map(Meter.class::cast).toList(),
				(meter) -> ((DistributionSummary) meter).totalAmount());
	}

	private static Map<String, Double> gauges(MeterRegistry registry, String name) {
		return byTags(registry.find(name).gauges().stream().map(Meter.class::cast).toList(),
				(meter) -> ((Gauge) meter).value());
	}

	private static Map<String, Double> byTags(Collection<Meter> meters, ToDoubleFunction<Meter> value) {
		Map<String, Double> result = new TreeMap<>();
		for (Meter meter : meters) {
			String tags = meter.getId()
				.getTags()
				.stream()
				.map((tag) -> tag.getKey() + "=" + tag.getValue())
				.sorted()
				.collect(Collectors.joining(","));
			result.put(tags, value.applyAsDouble(meter));
		}
		return result;
	}

}
