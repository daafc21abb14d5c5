package dev.llmfallback.sample;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.client.WebClient;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Safe defaults of the sample: only the actuator endpoints the README documents are exposed, and
 * the admin-only write operation of {@code fallbacks} can be switched off.
 */
class HostileDefaultsTests {

	static int status(int port, HttpMethod method, String path) {
		WebClient.RequestBodySpec request = LoopbackClients.to(port).method(method).uri(path);
		WebClient.RequestHeadersSpec<?> spec = (method == HttpMethod.POST)
				? request.contentType(MediaType.APPLICATION_JSON).bodyValue("{\"action\":\"reset\"}") : request;
		return spec.exchangeToMono((response) -> response.releaseBody().thenReturn(response.statusCode().value()))
			.block(Duration.ofSeconds(10));
	}

	@Nested
	@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
	class AsShipped {

		@LocalServerPort
		int port;

		@Test
		void onlyTheDocumentedEndpointsAreExposed() {
			Map<String, Map<String, Object>> links = JsonMapper.shared()
				.readValue(LoopbackClients.to(this.port)
					.get()
					.uri("/actuator")
					.retrieve()
					.bodyToMono(String.class)
					.block(Duration.ofSeconds(10)), new TypeReference<Map<String, Map<String, Map<String, Object>>>>() {
					})
				.get("_links");
			Set<String> ids = new TreeSet<>();
			links.keySet().forEach((name) -> ids.add(name.replaceFirst("-.*", "")));
			assertThat(ids).containsExactly("fallbacks", "health", "metrics", "prometheus", "self");
			for (String path : new String[] { "/actuator/env", "/actuator/configprops", "/actuator/heapdump",
					"/actuator/threaddump", "/actuator/beans", "/actuator/loggers", "/actuator/mappings",
					"/actuator/conditions", "/actuator/info", "/actuator/shutdown", "/actuator/sbom" }) {
				assertThat(status(this.port, HttpMethod.GET, path)).as(path).isEqualTo(404);
			}
			assertThat(status(this.port, HttpMethod.POST, "/actuator/shutdown")).isEqualTo(404);
		}

		@Test
		void theResetOperationIsThereByDefault() {
			assertThat(status(this.port, HttpMethod.POST, "/actuator/fallbacks/gpt-4o")).isEqualTo(200);
		}

	}

	@Nested
	@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "llm.fallback.endpoint.reset-enabled=false")
	class ResetSwitchedOff {

		@LocalServerPort
		int port;

		@Test
		void theEndpointIsReadOnly() {
			assertThat(status(this.port, HttpMethod.GET, "/actuator/fallbacks")).isEqualTo(200);
			assertThat(status(this.port, HttpMethod.GET, "/actuator/fallbacks/chat")).isEqualTo(200);
			assertThat(status(this.port, HttpMethod.POST, "/actuator/fallbacks/gpt-4o")).isEqualTo(405);
			assertThat(status(this.port, HttpMethod.POST, "/actuator/fallbacks/gpt-4o-mini")).isEqualTo(405);
		}

	}

}
