package dev.llmfallback.autoconfigure.health;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration;
import org.springframework.boot.health.autoconfigure.registry.HealthContributorRegistryAutoConfiguration;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.registry.HealthContributorRegistry;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import reactor.core.scheduler.Schedulers;
import reactor.test.scheduler.VirtualTimeScheduler;

import dev.llmfallback.actuate.ScriptedChain;
import dev.llmfallback.actuate.health.LlmHealthContributor;
import dev.llmfallback.autoconfigure.FallbackAutoConfiguration;
import dev.llmfallback.engine.FallbackEngine;

import static org.assertj.core.api.Assertions.assertThat;

class LlmHealthContributorAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(FallbackAutoConfiguration.class,
				LlmHealthContributorAutoConfiguration.class))
		.withUserConfiguration(ScriptedChain.class)
		.withPropertyValues(ScriptedChain.PROPERTIES);

	@Test
	void runShouldCreateContributor() {
		this.runner.run((context) -> assertThat(context).hasSingleBean(LlmHealthContributor.class)
			.hasBean("llmHealthContributor"));
	}

	@Test
	void runShouldRegisterContributorNamedLlm() {
		this.runner
			.withConfiguration(AutoConfigurations.of(HealthContributorAutoConfiguration.class,
					HealthContributorRegistryAutoConfiguration.class))
			.run((context) -> assertThat(context.getBean(HealthContributorRegistry.class).getContributor("llm"))
				.isSameAs(context.getBean(LlmHealthContributor.class)));
	}

	@Test
	void runWithoutHealthOnClasspathShouldNotCreateContributor() {
		this.runner.withClassLoader(new FilteredClassLoader(HealthIndicator.class)).run((context) -> {
			assertThat(context).hasNotFailed().hasSingleBean(FallbackEngine.class);
			assertThat(context).doesNotHaveBean(LlmHealthContributor.class);
		});
	}

	@Test
	void runWithoutEngineShouldNotCreateContributor() {
		this.runner.withPropertyValues("llm.fallback.enabled=false")
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(LlmHealthContributor.class));
	}

	@Test
	void runWhenDisabledShouldNotCreateContributor() {
		this.runner.withPropertyValues("management.health.llm.enabled=false")
			.run((context) -> assertThat(context).hasSingleBean(FallbackEngine.class)
				.doesNotHaveBean(LlmHealthContributor.class));
	}

	@Test
	void runWhenHealthDefaultsDisabledShouldNotCreateContributor() {
		this.runner.withPropertyValues("management.health.defaults.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(LlmHealthContributor.class));
	}

	@Test
	void runWithUserIndicatorNamedLlmShouldBackOff() {
		this.runner.withBean("llmHealthIndicator", HealthIndicator.class, () -> () -> Health.up().build())
			.run((context) -> assertThat(context).doesNotHaveBean(LlmHealthContributor.class)
				.hasBean("llmHealthIndicator"));
	}

	@Test
	void runWithUserContributorShouldBackOff() {
		this.runner
			.withBean("myLlmHealth", LlmHealthContributor.class,
					() -> new LlmHealthContributor(ScriptedChain.engine(Schedulers.parallel()), true))
			.run((context) -> assertThat(context).hasSingleBean(LlmHealthContributor.class)
				.hasBean("myLlmHealth")
				.doesNotHaveBean("llmHealthContributor"));
	}

	@Test
	void runWithApplicationEngineShouldReportIt() {
		VirtualTimeScheduler time = VirtualTimeScheduler.create();
		FallbackEngine own = ScriptedChain.engine(time);
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(FallbackAutoConfiguration.class,
					LlmHealthContributorAutoConfiguration.class))
			.withBean(FallbackEngine.class, () -> own)
			.run((context) -> {
				ScriptedChain.failSome(own);
				time.advanceTimeBy(ScriptedChain.COOLDOWN.plusSeconds(1));
				Health primary = ((HealthIndicator) context.getBean(LlmHealthContributor.class)
					.getContributor("primary")).health();
				assertThat(primary.getStatus()).isEqualTo(LlmHealthContributor.COOLING_DOWN);
				assertThat(primary.getDetails()).containsEntry("state", "HALF_OPEN");
			});
	}

	@Test
	void runShouldUseStrictProperty() {
		this.runner.withPropertyValues("llm.fallback.health.strict=true").run((context) -> {
			FallbackEngine engine = context.getBean(FallbackEngine.class);
			ScriptedChain.failSome(engine);
			HealthIndicator primary = (HealthIndicator) context.getBean(LlmHealthContributor.class)
				.getContributor("primary");
			assertThat(primary.health().getStatus().getCode()).isEqualTo("DOWN");
		});
	}

}
