package dev.llmfallback.autoconfigure.endpoint;

import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import reactor.core.scheduler.Schedulers;

import dev.llmfallback.actuate.ScriptedChain;
import dev.llmfallback.actuate.endpoint.FallbacksEndpoint;
import dev.llmfallback.actuate.endpoint.RecentHops;
import dev.llmfallback.actuate.endpoint.ResettableFallbacksEndpoint;
import dev.llmfallback.autoconfigure.FallbackAutoConfiguration;
import dev.llmfallback.engine.FallbackEngine;

import static org.assertj.core.api.Assertions.assertThat;

class FallbacksEndpointAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(
				AutoConfigurations.of(FallbackAutoConfiguration.class, FallbacksEndpointAutoConfiguration.class))
		.withUserConfiguration(ScriptedChain.class)
		.withPropertyValues(ScriptedChain.PROPERTIES);

	private ApplicationContextRunner exposed() {
		return this.runner.withPropertyValues("management.endpoints.web.exposure.include=fallbacks");
	}

	@Test
	void runWhenNotExposedShouldNotCreateEndpoint() {
		this.runner.run((context) -> assertThat(context).hasSingleBean(FallbackEngine.class)
			.doesNotHaveBean(FallbacksEndpoint.class)
			.doesNotHaveBean(RecentHops.class));
	}

	@Test
	void runWhenExposedShouldCreateEndpointWithItsWriteOperation() {
		exposed().run((context) -> assertThat(context).hasSingleBean(RecentHops.class)
			.getBean(FallbacksEndpoint.class)
			.isInstanceOf(ResettableFallbacksEndpoint.class));
	}

	@Test
	void runWhenExposedOverJmxShouldCreateEndpoint() {
		this.runner.withPropertyValues("spring.jmx.enabled=true", "management.endpoints.jmx.exposure.include=fallbacks")
			.run((context) -> assertThat(context).hasSingleBean(FallbacksEndpoint.class));
	}

	@Test
	void runWhenResetDisabledShouldCreateReadOnlyEndpoint() {
		exposed().withPropertyValues("llm.fallback.endpoint.reset-enabled=false")
			.run((context) -> assertThat(context).getBean(FallbacksEndpoint.class)
				.isExactlyInstanceOf(FallbacksEndpoint.class));
	}

	@Test
	void runWhenAccessIsNoneShouldNotCreateEndpoint() {
		// Upper case: a bare context runner lacks SpringApplication's lenient enum conversion.
		exposed().withPropertyValues("management.endpoint.fallbacks.access=NONE")
			.run((context) -> assertThat(context).doesNotHaveBean(FallbacksEndpoint.class));
	}

	@Test
	void runWithoutActuatorOnClasspathShouldNotCreateEndpoint() {
		exposed().withClassLoader(new FilteredClassLoader(Endpoint.class)).run((context) -> {
			assertThat(context).hasNotFailed().hasSingleBean(FallbackEngine.class);
			assertThat(context).doesNotHaveBean(FallbacksEndpoint.class).doesNotHaveBean(RecentHops.class);
		});
	}

	@Test
	void runWithoutEngineShouldNotCreateEndpoint() {
		exposed().withPropertyValues("llm.fallback.enabled=false")
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(FallbacksEndpoint.class));
	}

	@Test
	void runWithUserEndpointShouldBackOff() {
		exposed()
			.withBean("myFallbacks", FallbacksEndpoint.class,
					() -> new FallbacksEndpoint(ScriptedChain.engine(Schedulers.parallel()), new RecentHops(1)))
			.run((context) -> assertThat(context).hasSingleBean(FallbacksEndpoint.class)
				.hasBean("myFallbacks")
				.doesNotHaveBean("fallbacksEndpoint"));
	}

	@Test
	void runWithUserRecentHopsShouldBackOff() {
		RecentHops own = new RecentHops(3);
		exposed().withBean(RecentHops.class, () -> own)
			.run((context) -> assertThat(context.getBean(RecentHops.class)).isSameAs(own));
	}

	@Test
	void theAutoConfiguredEngineFillsTheRecentHops() {
		exposed().run((context) -> {
			ScriptedChain.failSome(context.getBean(FallbackEngine.class));
			assertThat(context.getBean(RecentHops.class).newestFirst()).singleElement()
				.satisfies((hop) -> assertThat(hop.policy() + ":" + hop.from() + "->" + hop.to() + ":" + hop.reason())
					.isEqualTo("chat:primary->secondary:connection"));
		});
	}

	@Test
	void recentHopsKeepsAsManyAsConfigured() {
		exposed().withPropertyValues("llm.fallback.endpoint.recent-hops=1").run((context) -> {
			FallbackEngine engine = context.getBean(FallbackEngine.class);
			ScriptedChain.failSome(engine);
			// primary is cooling down now: a second request hops past it.
			engine.chatService("chat").chat(dev.llmfallback.ChatRequest.of("again")).block();
			assertThat(context.getBean(RecentHops.class).newestFirst()).singleElement()
				.satisfies((hop) -> assertThat(hop.reason()).isEqualTo("cooldown"));
		});
	}

}
