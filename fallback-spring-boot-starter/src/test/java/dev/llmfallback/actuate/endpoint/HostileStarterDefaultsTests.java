package dev.llmfallback.actuate.endpoint;

import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.web.reactive.function.client.WebClient;

import dev.llmfallback.actuate.ScriptedChain;
import dev.llmfallback.engine.FallbackEngine;

import static dev.llmfallback.actuate.endpoint.FallbacksEndpointWebIntegrationTests.client;
import static dev.llmfallback.actuate.endpoint.FallbacksEndpointWebIntegrationTests.get;
import static dev.llmfallback.actuate.endpoint.FallbacksEndpointWebIntegrationTests.start;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The starter exposes nothing the application did not ask for: with the starter and the actuator on
 * the classpath, a provider with a key, and no {@code management.*} property at all, only
 * {@code health} is served over HTTP, the {@code fallbacks} endpoint is neither exposed nor
 * created, and nothing served shows the key. (A class of its own: two running applications would
 * share, and one would dispose, Reactor Netty's global resources.)
 */
class HostileStarterDefaultsTests {

	static final String[] CANARY_PROVIDER = { "llm.fallback.providers.openai.type=openai",
			"llm.fallback.providers.openai.api-key=sk-canary-defaults-9c8b7a6d5e4f",
			"llm.fallback.providers.openai.headers.X-Org-Token=sk-canary-header-1a2b3c4d",
			"llm.fallback.providers.openai.base-url=http://127.0.0.1:9/v1", "llm.fallback.models.cloud.provider=openai",
			"llm.fallback.policies.cloud.models=cloud" };

	@Test
	void onlyHealthIsServedAndNothingShowsTheKey() {
		String[] properties = new String[CANARY_PROVIDER.length + 2];
		properties[0] = "server.port=0";
		properties[1] = "spring.main.banner-mode=off";
		System.arraycopy(CANARY_PROVIDER, 0, properties, 2, CANARY_PROVIDER.length);
		try (ConfigurableApplicationContext context = start(properties)) {
			assertThat(context.getEnvironment().getPropertySources().stream()
				.flatMap((source) -> (source instanceof org.springframework.core.env.EnumerablePropertySource<?> names)
						? java.util.Arrays.stream(names.getPropertyNames()) : java.util.stream.Stream.empty())
				.filter((name) -> name.startsWith("management.")))
				.as("no management.* property is set").isEmpty();
			ScriptedChain.failSome(context.getBean(FallbackEngine.class));
			WebClient client = client(context);

			FallbacksEndpointWebIntegrationTests.Answer index = get(client, "/actuator");
			assertThat(index.status()).isEqualTo(200);
			assertThat(index.body()).contains("\"health\"")
				.doesNotContain("fallbacks")
				.doesNotContain("\"env\"")
				.doesNotContain("configprops")
				.doesNotContain("metrics")
				.doesNotContain("prometheus");
			assertThat(context.getBeanNamesForType(FallbacksEndpoint.class)).isEmpty();
			assertThat(context.getBeanNamesForType(RecentHops.class)).isEmpty();
			for (String path : new String[] { "/actuator/fallbacks", "/actuator/fallbacks/chat", "/actuator/env",
					"/actuator/configprops", "/actuator/metrics", "/actuator/beans" }) {
				assertThat(get(client, path).status()).as(path).isEqualTo(404);
			}
			assertThat(FallbacksEndpointWebIntegrationTests.post(client, "/actuator/fallbacks/primary",
					"{\"action\":\"reset\"}").status()).isEqualTo(404);
			assertThat(context.getBean(FallbackEngine.class).modelStatus("primary").available()).isFalse();

			FallbacksEndpointWebIntegrationTests.Answer health = get(client, "/actuator/health");
			assertThat(health.status()).isEqualTo(200);
			for (String path : new String[] { "/actuator", "/actuator/health", "/actuator/health/llm",
					"/actuator/health/llm/cloud" }) {
				assertThat(get(client, path).body()).as(path).doesNotContain("canary");
			}
			// The engine's own view of itself shows no key either.
			FallbackEngine engine = context.getBean(FallbackEngine.class);
			assertThat(engine + " " + engine.models() + " " + engine.policies()).doesNotContain("canary");
		}
	}

}
