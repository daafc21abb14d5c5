package dev.llmfallback.web;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import dev.llmfallback.ChatChunk;
import dev.llmfallback.ChatRequest;
import dev.llmfallback.engine.FallbackEngine;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A user's own WebFlux and Spring MVC controllers, served over real HTTP, whose chats fail each way:
 * the starter answers with a problem detail carrying the mapped status, headers, category and
 * attempts; with {@code llm.fallback.web.problem-details.enabled=false} it stays out of the way.
 */
class ProblemDetailsInUsersControllersTests {

	private static final HttpClient http = HttpClient.newHttpClient();

	private static final JsonMapper json = JsonMapper.builder().build();

	/** A user's WebFlux controller: a chat, and a stream that fails before its first chunk. */
	@RestController
	static class ReactiveController {

		private final FallbackEngine engine;

		ReactiveController(FallbackEngine engine) {
			this.engine = engine;
		}

		@GetMapping("/ask/{policy}")
		Mono<String> ask(@PathVariable String policy) {
			return this.engine.chatService(policy).chat(ChatRequest.of("hi")).map((answer) -> answer.content());
		}

		@GetMapping("/stream/{policy}")
		Flux<String> stream(@PathVariable String policy) {
			return this.engine.chatService(policy).stream(ChatRequest.of("hi")).map(ChatChunk::delta);
		}

	}

	/** A user's blocking MVC controller. */
	@RestController
	static class BlockingController {

		private final FallbackEngine engine;

		BlockingController(FallbackEngine engine) {
			this.engine = engine;
		}

		@GetMapping("/ask/{policy}")
		String ask(@PathVariable String policy) {
			return this.engine.chatService(policy).chat(ChatRequest.of("hi")).block().content();
		}

	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	@Import({ FailingChains.class, ReactiveController.class })
	static class ReactiveApplication {

	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	@Import({ FailingChains.class, BlockingController.class })
	static class ServletApplication {

	}

	private static ConfigurableApplicationContext start(Class<?> application, WebApplicationType type,
			String... properties) {
		return new SpringApplicationBuilder(application).web(type)
			.properties("server.port=0", "spring.main.banner-mode=off")
			.properties(FailingChains.PROPERTIES)
			.properties(properties)
			.run();
	}

	record Answer(int status, HttpResponse<String> response, Map<String, Object> body) {

		String header(String name) {
			return this.response.headers().firstValue(name).orElse(null);
		}

	}

	private static Answer get(ConfigurableApplicationContext context, String path) throws Exception {
		String port = context.getEnvironment().getProperty("local.server.port");
		HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
			.timeout(Duration.ofSeconds(10))
			.build(), HttpResponse.BodyHandlers.ofString());
		Map<String, Object> body = response.body().startsWith("{")
				? json.readValue(response.body(), new TypeReference<Map<String, Object>>() {
				}) : Map.of();
		return new Answer(response.statusCode(), response, body);
	}

	private static void assertEveryRow(ConfigurableApplicationContext context, String prefix) throws Exception {
		for (FailingChains.Row row : FailingChains.ROWS) {
			Answer answer = get(context, prefix + row.policy());
			assertThat(answer.status()).as(prefix + row.policy()).isEqualTo(row.status());
			assertThat(answer.header("content-type")).as(row.policy()).startsWith("application/problem+json");
			assertThat(answer.header(FallbackErrorResponse.CATEGORY)).isEqualTo(row.category().id());
			assertThat(answer.body()).containsEntry("category", row.category().id())
				.containsEntry("status", row.status())
				.containsKey("attempts");
			assertThat((List<?>) answer.body().get("attempts")).isNotEmpty();
			if (row.shouldRetry()) {
				assertThat(answer.header("retry-after")).as(row.policy()).isNotNull();
				assertThat(answer.header(FallbackErrorResponse.RETRY_AFTER_MS)).as(row.policy()).isNotNull();
			}
			else {
				assertThat(answer.header(FallbackErrorResponse.SHOULD_RETRY)).as(row.policy()).isEqualTo("false");
			}
		}
	}

	@Test
	void aWebFluxControllersFailuresAreProblemDetailsWithTheMappedStatus() throws Exception {
		try (ConfigurableApplicationContext context = start(ReactiveApplication.class, WebApplicationType.REACTIVE)) {
			assertEveryRow(context, "/ask/");
			assertThat(get(context, "/ask/limited").header("retry-after")).isEqualTo("4");
		}
	}

	@Test
	void aWebFluxStreamFailingBeforeItsFirstChunkIsAProblemDetailToo() throws Exception {
		try (ConfigurableApplicationContext context = start(ReactiveApplication.class, WebApplicationType.REACTIVE)) {
			assertEveryRow(context, "/stream/");
		}
	}

	@Test
	void anMvcControllersFailuresAreProblemDetailsWithTheMappedStatus() throws Exception {
		try (ConfigurableApplicationContext context = start(ServletApplication.class, WebApplicationType.SERVLET)) {
			assertEveryRow(context, "/ask/");
		}
	}

	@Test
	void onePropertySwitchesThemOff() throws Exception {
		try (ConfigurableApplicationContext context = start(ReactiveApplication.class, WebApplicationType.REACTIVE,
				"llm.fallback.web.problem-details.enabled=false")) {
			assertThat(context.getBeansOfType(FallbackProblemDetailsHandler.class)).isEmpty();
			assertThat(get(context, "/ask/bad-key").status()).isEqualTo(500);
		}
	}

	@Test
	void aNonWebApplicationGetsTheMappingButNoHandler() {
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(FailingChains.class,
				NonWeb.class).web(WebApplicationType.NONE).properties(FailingChains.PROPERTIES).run()) {
			assertThat(context.getBeansOfType(FallbackErrorMapping.class)).hasSize(1);
			assertThat(context.getBeansOfType(FallbackProblemDetailsHandler.class)).isEmpty();
		}
	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class NonWeb {

	}

}
