package dev.llmfallback.autoconfigure;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import dev.llmfallback.ChatRequest;
import dev.llmfallback.ChatService;
import dev.llmfallback.ErrorCategory;
import dev.llmfallback.autoconfigure.metrics.FallbackMetricsAutoConfiguration;
import dev.llmfallback.engine.FallbackEngine;
import dev.llmfallback.policy.DeploymentDefinition;
import dev.llmfallback.policy.FallbackPolicy;
import dev.llmfallback.policy.Routing;
import dev.llmfallback.provider.ChatProvider;
import dev.llmfallback.testing.ScriptedProvider;
import dev.llmfallback.testing.Step;

import static dev.llmfallback.autoconfigure.FailureAnalyses.analysis;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code models.<name>.deployments}, {@code policies.<name>.routing} and {@code hedge} from properties. */
class DeploymentsAndHedgingAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(FallbackAutoConfiguration.class, MetricsAutoConfiguration.class,
				FallbackMetricsAutoConfiguration.class))
		.withBean(SimpleMeterRegistry.class)
		.withBean("east", ChatProvider.class,
				() -> ScriptedProvider.builder("east").otherwise(Step.fail(ErrorCategory.CONNECTION)).build())
		.withBean("west", ChatProvider.class, () -> ScriptedProvider.replying("west", "from west"))
		.withPropertyValues("llm.fallback.models.m.model=gpt-4o", "llm.fallback.models.m.deployments[0].provider=east",
				"llm.fallback.models.m.deployments[0].model=prod-east", "llm.fallback.models.m.deployments[0].weight=3",
				"llm.fallback.models.m.deployments[0].rpm=600", "llm.fallback.models.m.deployments[1].provider=west",
				"llm.fallback.models.m.deployments[1].tpm=100000", "llm.fallback.policies.chat.models=m");

	@Test
	void deploymentsRoutingAndHedgeAreBound() {
		this.runner
			.withPropertyValues("llm.fallback.policies.chat.routing=least-busy",
					"llm.fallback.policies.chat.hedge.after=2s", "llm.fallback.policies.chat.hedge.max-rate=5%")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				FallbackEngine engine = context.getBean(FallbackEngine.class);
				assertThat(engine.models().get("m").provider()).isEqualTo("east");
				assertThat(engine.models().get("m").deployments()).containsExactly(
						new DeploymentDefinition("east", "prod-east", 3, 600, null),
						new DeploymentDefinition("west", "gpt-4o", 1, null, 100000));
				FallbackPolicy policy = engine.policies().get("chat");
				assertThat(policy.routing()).isEqualTo(Routing.LEAST_BUSY);
				assertThat(policy.hedge().after()).hasSeconds(2);
				assertThat(policy.hedge().maxRate()).isEqualTo(0.05);
			});
	}

	@Test
	void hedgeDefaultsToTenPercentAndRoutingToWeighted() {
		this.runner.withPropertyValues("llm.fallback.policies.chat.hedge.after-percentile=95").run((context) -> {
			FallbackPolicy policy = context.getBean(FallbackEngine.class).policies().get("chat");
			assertThat(policy.routing()).isEqualTo(Routing.WEIGHTED);
			assertThat(policy.hedge().afterPercentile()).isEqualTo(95.0);
			assertThat(policy.hedge().maxRate()).isEqualTo(0.10);
		});
	}

	@Test
	void aFailingDeploymentIsLeftForTheOtherAndMetersAndStatusesNameTheDeployments() {
		this.runner.run((context) -> {
			ChatService chat = context.getBean(ChatService.class);
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			// Routing is weighted at random: call until east has failed often enough to cool down
			// (three failures by default), bounded so that a router that never leaves east fails.
			for (int i = 0; i < 200 && eastAvailable(registry) == 1.0; i++) {
				assertThat(chat.chat(ChatRequest.of("hi")).block().content()).isEqualTo("from west");
			}
			assertThat(registry.get("llm.fallback.attempts")
				.tag("deployment", "west/gpt-4o")
				.tag("provider", "west")
				.tag("outcome", "success")
				.counters()).isNotEmpty();
			assertThat(eastAvailable(registry)).isZero();
			assertThat(registry.get("llm.fallback.model.available").tag("deployment", "west/gpt-4o").gauge().value())
				.isOne();
			FallbackEngine engine = context.getBean(FallbackEngine.class);
			assertThat(engine.modelStatus("m").available()).isTrue();
			assertThat(engine.modelStatus("m").deployments()).hasSize(2);
		});
	}

	private static double eastAvailable(MeterRegistry registry) {
		return registry.get("llm.fallback.model.available").tag("deployment", "east/prod-east").gauge().value();
	}

	@Test
	void aDeploymentNamingAnUnknownProviderFailsStartUpNamingTheProperty() {
		this.runner.withPropertyValues("llm.fallback.models.m.deployments[1].provider=north").run((context) -> {
			FailureAnalysis analysis = analysis(context);
			assertThat(analysis.getDescription()).contains("llm.fallback.models.m.deployments[1].provider")
				.contains("'north'");
			assertThat(analysis.getAction()).contains("llm.fallback.providers.north");
		});
	}

	@Test
	void aWeightOfZeroFailsStartUpNamingTheProperty() {
		this.runner.withPropertyValues("llm.fallback.models.m.deployments[0].weight=0").run((context) -> {
			FailureAnalysis analysis = analysis(context);
			assertThat(analysis.getDescription()).contains("llm.fallback.models.m.deployments[0].weight")
				.contains("greater than 0");
		});
	}

	@Test
	void aMaxRateThatIsNoRateFailsStartUpNamingTheProperty() {
		this.runner.withPropertyValues("llm.fallback.policies.chat.hedge.after=1s",
				"llm.fallback.policies.chat.hedge.max-rate=lots").run((context) -> {
					FailureAnalysis analysis = analysis(context);
					assertThat(analysis.getDescription()).contains("llm.fallback.policies.chat.hedge.max-rate");
				});
	}

	@Test
	void aHedgeWithNeitherWaitFailsStartUpNamingTheProperty() {
		this.runner.withPropertyValues("llm.fallback.policies.chat.hedge.max-rate=10%").run((context) -> {
			FailureAnalysis analysis = analysis(context);
			assertThat(analysis.getDescription()).contains("llm.fallback.policies.chat.hedge")
				.contains("neither after nor after-percentile");
		});
	}

	@Test
	void aMisspeltDeploymentPropertyFailsStartUp() {
		this.runner.withPropertyValues("llm.fallback.models.m.deployments[0].wieght=2").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(analysis(context).getDescription()).contains("wieght");
		});
	}

}
