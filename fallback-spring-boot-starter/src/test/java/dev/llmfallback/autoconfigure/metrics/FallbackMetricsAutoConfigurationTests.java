package dev.llmfallback.autoconfigure.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.asm.ClassWriter;
import org.springframework.asm.Opcodes;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.llmfallback.ChatRequest;
import dev.llmfallback.ChatService;
import dev.llmfallback.actuate.metrics.FallbackMetrics;
import dev.llmfallback.actuate.metrics.FallbackModelAvailabilityMeterBinder;
import dev.llmfallback.actuate.metrics.GenAiClientMetrics;
import dev.llmfallback.autoconfigure.FallbackAutoConfiguration;
import dev.llmfallback.engine.FallbackEngine;
import dev.llmfallback.provider.ChatProvider;
import dev.llmfallback.testing.ScriptedProvider;

import static org.assertj.core.api.Assertions.assertThat;

class FallbackMetricsAutoConfigurationTests {

	/** The class of Spring AI that registers its own {@code gen_ai.client.token.usage}. */
	private static final String SPRING_AI_USAGE_METRICS = "org.springframework.ai.model.observation.ModelUsageMetricsGenerator";

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(FallbackAutoConfiguration.class, MetricsAutoConfiguration.class,
				FallbackMetricsAutoConfiguration.class))
		// Spring AI is on the test classpath (the bridge's tests); these tests are about an application without it.
		.withClassLoader(new FilteredClassLoader("org.springframework.ai"))
		.withBean("primary", ChatProvider.class, () -> ScriptedProvider.replying("primary", "hello"))
		.withPropertyValues("llm.fallback.models.primary.provider=primary", "llm.fallback.policies.chat.models=primary");

	private final ApplicationContextRunner withRegistry = this.runner.withBean(SimpleMeterRegistry.class);

	@Test
	void withARegistryTheListenersAndTheGaugeAreThere() {
		this.withRegistry.run((context) -> assertThat(context).hasSingleBean(FallbackMetrics.class)
			.hasSingleBean(GenAiClientMetrics.class)
			.hasSingleBean(FallbackModelAvailabilityMeterBinder.class));
	}

	@Test
	void theEngineRecordsIntoTheRegistry() {
		this.withRegistry.run((context) -> {
			context.getBean(ChatService.class).chat(ChatRequest.of("hi")).block();
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			assertThat(registry.get(FallbackMetrics.REQUESTS).timer().count()).isOne();
			assertThat(registry.get(GenAiClientMetrics.OPERATION_DURATION).timer().count()).isOne();
			assertThat(registry.get(FallbackModelAvailabilityMeterBinder.AVAILABLE).gauge().value()).isOne();
		});
	}

	@Test
	void withoutARegistryBeanNothingIsRecorded() {
		this.runner.run((context) -> assertThat(context).hasNotFailed()
			.doesNotHaveBean(FallbackMetrics.class)
			.doesNotHaveBean(GenAiClientMetrics.class)
			.doesNotHaveBean(FallbackModelAvailabilityMeterBinder.class));
	}

	@Test
	void withoutMicrometerOnTheClasspathNothingIsRecorded() {
		this.runner.withClassLoader(new FilteredClassLoader(MeterRegistry.class))
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(FallbackMetrics.class)
				.doesNotHaveBean(GenAiClientMetrics.class)
				.doesNotHaveBean(FallbackModelAvailabilityMeterBinder.class));
	}

	@Test
	void withoutTheEngineNothingIsRecorded() {
		this.withRegistry.withPropertyValues("llm.fallback.enabled=false")
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(FallbackMetrics.class)
				.doesNotHaveBean(GenAiClientMetrics.class)
				.doesNotHaveBean(FallbackModelAvailabilityMeterBinder.class));
	}

	@Test
	void anApplicationFallbackMetricsBeanReplacesOurs() {
		this.withRegistry.withBean("myMetrics", FallbackMetrics.class, () -> new FallbackMetrics(new SimpleMeterRegistry()))
			.run((context) -> assertThat(context).getBean(FallbackMetrics.class)
				.isSameAs(context.getBean("myMetrics")));
	}

	@Test
	void anApplicationGenAiMetricsBeanReplacesOurs() {
		this.withRegistry
			.withBean("myGenAi", GenAiClientMetrics.class, () -> new GenAiClientMetrics(new SimpleMeterRegistry()))
			.run((context) -> assertThat(context).getBean(GenAiClientMetrics.class)
				.isSameAs(context.getBean("myGenAi")));
	}

	@Test
	void anApplicationAvailabilityBinderReplacesOurs() {
		this.withRegistry.withUserConfiguration(OwnBinder.class)
			.run((context) -> assertThat(context).getBean(FallbackModelAvailabilityMeterBinder.class)
				.isSameAs(context.getBean("myBinder")));
	}

	@Test
	void genAiMetersCanBeSwitchedOff() {
		this.withRegistry.withPropertyValues("llm.fallback.metrics.gen-ai.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(GenAiClientMetrics.class)
				.hasSingleBean(FallbackMetrics.class));
	}

	@Test
	void genAiMetersStepAsideForSpringAi() {
		this.withRegistry.withClassLoader(classLoaderWith(SPRING_AI_USAGE_METRICS))
			.run((context) -> assertThat(context).doesNotHaveBean(GenAiClientMetrics.class)
				.hasSingleBean(FallbackMetrics.class));
	}

	@Test
	void genAiMetersStayWhenSpringAiIsAbsent() {
		this.withRegistry.withClassLoader(new FilteredClassLoader(SPRING_AI_USAGE_METRICS))
			.run((context) -> assertThat(context).hasSingleBean(GenAiClientMetrics.class));
	}

	@Configuration(proxyBeanMethods = false)
	static class OwnBinder {

		@Bean
		FallbackModelAvailabilityMeterBinder myBinder(FallbackEngine engine) {
			return new FallbackModelAvailabilityMeterBinder(engine);
		}

	}

	/** A class loader that also holds an empty class of this name, as if its library were there. */
	private static ClassLoader classLoaderWith(String className) {
		ClassWriter writer = new ClassWriter(0);
		writer.visit(Opcodes.V17, Opcodes.ACC_PUBLIC | Opcodes.ACC_SUPER, className.replace('.', '/'), null,
				"java/lang/Object", null);
		writer.visitEnd();
		byte[] bytes = writer.toByteArray();
		return new ClassLoader(FallbackMetricsAutoConfigurationTests.class.getClassLoader()) {

			@Override
			protected Class<?> findClass(String name) throws ClassNotFoundException {
				return name.equals(className) ? defineClass(name, bytes, 0, bytes.length) : super.findClass(name);
			}

		};
	}

}
