package dev.llmfallback.autoconfigure.health;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.actuate.endpoint.CompositeHealthDescriptor;
import org.springframework.boot.health.actuate.endpoint.HealthDescriptor;
import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointGroups;
import org.springframework.boot.health.autoconfigure.actuate.endpoint.HealthEndpointAutoConfiguration;
import org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration;
import org.springframework.boot.health.autoconfigure.registry.HealthContributorRegistryAutoConfiguration;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import dev.llmfallback.actuate.ScriptedChain;
import dev.llmfallback.actuate.health.LlmHealthContributor;
import dev.llmfallback.autoconfigure.FallbackAutoConfiguration;
import dev.llmfallback.engine.FallbackEngine;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code llm} contributor seen through Spring Boot's own health endpoint, its status
 * aggregation and its HTTP status mapping.
 */
class LlmHealthEndpointTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(FallbackAutoConfiguration.class,
				LlmHealthContributorAutoConfiguration.class, HealthContributorAutoConfiguration.class,
				HealthContributorRegistryAutoConfiguration.class, HealthEndpointAutoConfiguration.class))
		.withUserConfiguration(ScriptedChain.class)
		.withPropertyValues(ScriptedChain.PROPERTIES)
		.withPropertyValues("management.endpoint.health.show-details=always");

	private static HealthDescriptor failSomeAndGetHealth(AssertableApplicationContext context, String... path) {
		ScriptedChain.failSome(context.getBean(FallbackEngine.class));
		return context.getBean(HealthEndpoint.class).healthForPath(path);
	}

	private static int httpStatus(AssertableApplicationContext context, HealthDescriptor health) {
		return context.getBean(HealthEndpointGroups.class)
			.getPrimary()
			.getHttpCodeStatusMapper()
			.getStatusCode(health.getStatus());
	}

	@Test
	void aCoolingModelLeavesTheApplicationUp() {
		this.runner.run((context) -> {
			HealthDescriptor root = failSomeAndGetHealth(context);
			assertThat(root.getStatus()).isEqualTo(Status.UP);
			assertThat(httpStatus(context, root)).isEqualTo(200);
			Map<String, HealthDescriptor> llm = ((CompositeHealthDescriptor) ((CompositeHealthDescriptor) root)
				.getComponents()
				.get("llm")).getComponents();
			assertThat(llm.get("primary").getStatus()).isEqualTo(LlmHealthContributor.COOLING_DOWN);
			assertThat(llm.get("keyless").getStatus()).isEqualTo(LlmHealthContributor.COOLING_DOWN);
			assertThat(llm.get("locked").getStatus()).isEqualTo(LlmHealthContributor.COOLING_DOWN);
		});
	}

	@Test
	void theLlmCompositeIsUpWhileAModelIsCoolingDown() {
		this.runner.run((context) -> {
			HealthDescriptor llm = failSomeAndGetHealth(context, "llm");
			assertThat(llm.getStatus()).isEqualTo(Status.UP);
			assertThat(httpStatus(context, llm)).isEqualTo(200);
		});
	}

	@Test
	void aCoolingModelAnswersHttp200ByPath() {
		this.runner.run((context) -> {
			HealthDescriptor primary = failSomeAndGetHealth(context, "llm", "primary");
			assertThat(primary.getStatus()).isEqualTo(LlmHealthContributor.COOLING_DOWN);
			assertThat(httpStatus(context, primary)).isEqualTo(200);
		});
	}

	@Test
	void strictModeTakesTheApplicationDown() {
		this.runner.withPropertyValues("llm.fallback.health.strict=true").run((context) -> {
			HealthDescriptor root = failSomeAndGetHealth(context);
			assertThat(root.getStatus()).isEqualTo(Status.DOWN);
			assertThat(httpStatus(context, root)).isEqualTo(503);
		});
	}

	@Test
	void anApplicationCanRankCoolingDownInItsStatusOrder() {
		this.runner
			.withPropertyValues("management.endpoint.health.status.order=DOWN,OUT_OF_SERVICE,COOLING_DOWN,UP,UNKNOWN")
			.run((context) -> {
				HealthDescriptor root = failSomeAndGetHealth(context);
				assertThat(root.getStatus()).isEqualTo(LlmHealthContributor.COOLING_DOWN);
				assertThat(httpStatus(context, root)).isEqualTo(200);
			});
	}

}
