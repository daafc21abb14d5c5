package dev.llmfallback.actuate.endpoint;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.web.reactive.function.client.WebClient;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import dev.llmfallback.actuate.ScriptedChain;
import dev.llmfallback.engine.FallbackEngine;

import static dev.llmfallback.actuate.endpoint.FallbacksEndpointWebIntegrationTests.client;
import static dev.llmfallback.actuate.endpoint.FallbacksEndpointWebIntegrationTests.get;
import static dev.llmfallback.actuate.endpoint.FallbacksEndpointWebIntegrationTests.start;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The worst exposure an application could choose, heap dumps aside: every endpoint exposed and the
 * values of {@code env} and {@code configprops} shown. Boot masks only what sanitizing functions
 * say once values are shown; the starter's must keep the provider's key and headers out of every
 * endpoint, under the property's own name, an environment variable's, and any other property that
 * holds the key. (A class of its own: see {@link HostileStarterDefaultsTests}.)
 */
class HostileStarterExposureTests {

	@Test
	void noEndpointShowsTheKey() {
		List<String> properties = new java.util.ArrayList<>(List.of("server.port=0", "spring.main.banner-mode=off",
				"management.endpoints.web.exposure.include=*", "management.endpoints.web.exposure.exclude=heapdump",
				"management.endpoint.env.show-values=always", "management.endpoint.configprops.show-values=always",
				"management.endpoint.health.show-details=always",
				"KEY_FROM_ENV=sk-canary-defaults-9c8b7a6d5e4f",
				"LLM_FALLBACK_PROVIDERS_OPENAI_APIKEY=sk-canary-envvar-5d4c3b2a"));
		properties.addAll(List.of(HostileStarterDefaultsTests.CANARY_PROVIDER));
		try (ConfigurableApplicationContext context = start(properties.toArray(String[]::new))) {
			ScriptedChain.failSome(context.getBean(FallbackEngine.class));
			WebClient client = client(context);
			String index = get(client, "/actuator").body();
			Map<String, Map<String, Map<String, Object>>> links = JsonMapper.shared()
				.readValue(index, new TypeReference<>() {
				});
			assertThat(links.get("_links")).containsKeys("env", "configprops", "fallbacks", "beans");
			List<String> paths = new java.util.ArrayList<>();
			links.get("_links")
				.values()
				.stream()
				.filter((link) -> !Boolean.TRUE.equals(link.get("templated")))
				.map((link) -> ((String) link.get("href")).replaceFirst("^http://[^/]+", ""))
				.forEach(paths::add);
			paths.addAll(List.of("/actuator/env/llm.fallback.providers.openai.api-key", "/actuator/env/KEY_FROM_ENV",
					"/actuator/env/LLM_FALLBACK_PROVIDERS_OPENAI_APIKEY",
					"/actuator/env/llm.fallback.providers.openai.headers.X-Org-Token",
					"/actuator/configprops/llm.fallback", "/actuator/fallbacks/cloud", "/actuator/health/llm"));
			for (String path : paths) {
				FallbacksEndpointWebIntegrationTests.Answer answer = get(client, path);
				assertThat(answer.body()).as(path).doesNotContainIgnoringCase("canary")
					.doesNotContain("9c8b7a6d5e4f")
					.doesNotContain("1a2b3c4d")
					.doesNotContain("5d4c3b2a");
			}
			// Values are really shown: the test would pass trivially with Boot's default masking.
			assertThat(get(client, "/actuator/env/llm.fallback.providers.openai.base-url").body())
				.contains("http://127.0.0.1:9/v1");
			assertThat(get(client, "/actuator/configprops/llm.fallback").body()).contains("http://127.0.0.1:9/v1")
				.contains("******");
		}
	}

}
