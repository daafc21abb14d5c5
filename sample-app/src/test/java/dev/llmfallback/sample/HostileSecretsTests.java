package dev.llmfallback.sample;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.reactive.function.client.WebClient;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import dev.llmfallback.ChatRequest;
import dev.llmfallback.ChatService;
import dev.llmfallback.engine.FallbackEngine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Canary API keys on every provider, DEBUG logging, every actuator endpoint exposed with values
 * shown (the worst an operator could configure, heap dumps aside), and a primary that answers 401
 * echoing the key it was sent, as some OpenAI-compatible servers do. The canary must show up
 * nowhere the application emits: logs, HTTP answers (success and failure, plain and streamed),
 * problem details, the OpenAI envelope, actuator endpoints, meters, the page, exception messages
 * and stack traces.
 */
@ExtendWith(OutputCaptureExtension.class)
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = {
		"BACKUP_KEY_FROM_ENV=" + HostileSecretsTests.CANARY_BACKUP,
		"llm.fallback.providers.flaky-openai.api-key=" + HostileSecretsTests.CANARY_FLAKY,
		"llm.fallback.providers.steady-anthropic.api-key=" + HostileSecretsTests.CANARY_STEADY,
		"llm.fallback.providers.backup-openai.api-key=${BACKUP_KEY_FROM_ENV}",
		"llm.fallback.providers.backup-openai.headers.X-Org-Token=" + HostileSecretsTests.CANARY_HEADER,
		"llm.fallback.providers.flaky-openai.headers.X-Org-Token=" + HostileSecretsTests.CANARY_HEADER,
		"llm.fallback.policies.locked.models=gpt-4o-mini", "llm.fallback.policies.chat.retry.max-retries=0",
		"sample.simulator.providers.flaky.rate-limited=0", "sample.simulator.providers.flaky.overloaded=0",
		"sample.simulator.providers.flaky.slow=0",
		"management.endpoints.web.exposure.include=*", "management.endpoints.web.exposure.exclude=heapdump",
		"management.endpoint.env.show-values=always", "management.endpoint.configprops.show-values=always",
		"management.endpoint.health.show-details=always", "management.info.env.enabled=true",
		"spring.http.codecs.log-request-details=true", "logging.level.dev.llmfallback=DEBUG",
		"logging.level.reactor.netty=DEBUG",
		"logging.level.org.springframework.web=DEBUG", "logging.level.org.springframework.http=DEBUG",
		"logging.level.org.springframework.boot.actuate=DEBUG" })
class HostileSecretsTests {

	static final String CANARY = "sk-canary-";

	static final String CANARY_FLAKY = CANARY + "flaky-5f3a9c1e7b2d4086";

	static final String CANARY_STEADY = CANARY + "steady-a1b2c3d4e5f60718";

	static final String CANARY_BACKUP = CANARY + "backup-0badc0ffee123456";

	static final String CANARY_HEADER = CANARY + "header-77e1d2c3b4a59687";

	/** Distinct parts of the keys: a leak of a fragment is a leak too. */
	static final List<String> FRAGMENTS = List.of("canary", "5f3a9c1e7b2d4086", "a1b2c3d4e5f60718", "0badc0ffee123456",
			"77e1d2c3b4a59687");

	/**
	 * Stands for the flaky primary: 401 for every call, echoing the key and the organisation
	 * header it was sent in the error message.
	 */
	static final HttpServer unauthorized = start();

	static final List<String> keysReceived = new CopyOnWriteArrayList<>();

	@LocalServerPort
	int port;

	@Autowired
	FallbackEngine engine;

	@Autowired
	ChatService chat;

	private static HttpServer start() {
		try {
			HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
			server.createContext("/", (exchange) -> {
				String authorization = String.valueOf(exchange.getRequestHeaders().getFirst("Authorization"));
				String key = authorization.replaceFirst("^Bearer ", "");
				keysReceived.add(key);
				exchange.getRequestBody().readAllBytes();
				byte[] body = ("{\"error\":{\"message\":\"Incorrect API key provided: " + key + " (organisation token "
						+ exchange.getRequestHeaders().getFirst("X-Org-Token") + "). You can find your API key at https://platform.openai.com/account/api-keys.\","
						+ "\"type\":\"invalid_request_error\",\"param\":\"" + authorization
						+ "\",\"code\":\"invalid_api_key\"}}")
					.getBytes(StandardCharsets.UTF_8);
				exchange.getResponseHeaders().set("Content-Type", "application/json");
				exchange.getResponseHeaders().set("X-Echo-Key", key);
				exchange.sendResponseHeaders(401, body.length);
				exchange.getResponseBody().write(body);
				exchange.close();
			});
			server.start();
			return server;
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	@DynamicPropertySource
	static void primaryAnswers401(DynamicPropertyRegistry registry) {
		registry.add("llm.fallback.providers.flaky-openai.base-url",
				() -> "http://127.0.0.1:" + unauthorized.getAddress().getPort() + "/v1");
	}

	@AfterAll
	static void stop() {
		unauthorized.stop(0);
	}

	private final Map<String, String> emitted = new LinkedHashMap<>();

	private WebClient client() {
		return WebClient.builder()
			.baseUrl("http://127.0.0.1:" + this.port)
			.codecs((codecs) -> codecs.defaultCodecs().maxInMemorySize(32 * 1024 * 1024))
			.build();
	}

	private String exchange(HttpMethod method, String path, String json) {
		WebClient.RequestBodySpec request = client().method(method).uri(path);
		WebClient.RequestHeadersSpec<?> spec = (json != null)
				? request.contentType(MediaType.APPLICATION_JSON).bodyValue(json) : request;
		String body = spec
			.exchangeToMono((response) -> response.bodyToMono(String.class)
				.defaultIfEmpty("")
				.map((text) -> response.statusCode().value() + " " + response.headers().asHttpHeaders() + "\n" + text))
			.block(Duration.ofSeconds(20));
		this.emitted.put(method + " " + path + ((json != null) ? " " + json : ""), body);
		return body;
	}

	@Test
	void noKeyAppearsAnywhere(CapturedOutput output) {
		// Calls that succeed after the primary's 401, and calls that fail on it.
		assertThat(exchange(HttpMethod.POST, "/chat", "{\"prompt\":\"hello\"}")).startsWith("200")
			.contains("\"outcome\":\"authentication\"");
		// The providers refused the gateway's key: 502, never 401/403 (the caller's own key was fine).
		assertThat(exchange(HttpMethod.POST, "/chat", "{\"prompt\":\"hello\",\"policy\":\"locked\"}")).startsWith("502")
			.contains("\"category\":\"authentication\"");
		exchange(HttpMethod.POST, "/chat/stream", "{\"prompt\":\"hello\"}");
		assertThat(exchange(HttpMethod.POST, "/chat/stream", "{\"prompt\":\"hello\",\"policy\":\"locked\"}"))
			.startsWith("502")
			.contains("\"category\":\"authentication\"");
		exchange(HttpMethod.POST, "/v1/chat/completions",
				"{\"model\":\"chat\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
		assertThat(exchange(HttpMethod.POST, "/v1/chat/completions",
				"{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
			.startsWith("502")
			.contains("\"code\":\"authentication\"");
		exchange(HttpMethod.POST, "/v1/chat/completions",
				"{\"model\":\"gpt-4o-mini\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
		exchange(HttpMethod.POST, "/v1/chat/completions",
				"{\"model\":\"chat\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
		exchange(HttpMethod.GET, "/v1/models", null);
		// The keys were really in use: the primary was sent its key.
		assertThat(keysReceived).isNotEmpty().allMatch(CANARY_FLAKY::equals);

		// Every actuator endpoint, and the templated ones with real selectors.
		String index = exchange(HttpMethod.GET, "/actuator", null);
		Map<String, Map<String, Object>> links = JsonMapper.shared()
			.readValue(index.substring(index.indexOf('\n') + 1), new TypeReference<Map<String, Map<String, Map<String, Object>>>>() {
			})
			.get("_links");
		assertThat(links).containsKeys("env", "configprops", "fallbacks", "prometheus", "metrics", "health", "beans");
		List<String> paths = new ArrayList<>();
		links.values()
			.stream()
			.filter((link) -> !Boolean.TRUE.equals(link.get("templated")))
			.map((link) -> ((String) link.get("href")).replaceFirst("^http://[^/]+", ""))
			.forEach(paths::add);
		paths.addAll(List.of("/actuator/env/llm.fallback.providers.flaky-openai.api-key",
				"/actuator/env/llm.fallback.providers.backup-openai.api-key", "/actuator/env/BACKUP_KEY_FROM_ENV",
				"/actuator/env/llm.fallback.providers.backup-openai.headers.X-Org-Token",
				"/actuator/configprops/llm.fallback", "/actuator/health/llm", "/actuator/health/llm/gpt-4o-mini",
				"/actuator/fallbacks/chat", "/actuator/fallbacks/locked", "/actuator/metrics/llm.fallback.attempts",
				"/actuator/metrics/llm.fallback.hops", "/actuator/metrics/llm.fallback.unclassified",
				"/actuator/metrics/gen_ai.client.operation.duration", "/actuator/loggers/dev.llmfallback"));
		for (String path : paths) {
			exchange(HttpMethod.GET, path, null);
		}
		assertThat(this.emitted.get("GET /actuator/env/llm.fallback.providers.flaky-openai.api-key"))
			.startsWith("200")
			.contains("******");
		assertThat(this.emitted.get("GET /actuator/configprops/llm.fallback")).startsWith("200").contains("flaky-openai");
		assertThat(this.emitted.get("GET /actuator/prometheus")).contains("llm_fallback_attempts");
		// The write operation's answers too.
		exchange(HttpMethod.POST, "/actuator/fallbacks/gpt-4o-mini", "{\"action\":\"reset\"}");
		exchange(HttpMethod.POST, "/actuator/fallbacks/gpt-4o-mini", "{\"action\":\"explode\"}");
		exchange(HttpMethod.POST, "/actuator/fallbacks/no-such-model", "{\"action\":\"reset\"}");

		// The page and its assets.
		exchange(HttpMethod.GET, "/", null);
		exchange(HttpMethod.GET, "/app.js", null);
		exchange(HttpMethod.GET, "/app.css", null);

		// Exceptions a Java caller sees: messages, causes, suppressed, stack traces, toString.
		Throwable failure = catchThrowable(() -> this.chat.chat(ChatRequest.builder().policy("locked").user("hi").build())
			.block(Duration.ofSeconds(20)));
		assertThat(failure).isNotNull();
		// The provider's echo reached the exception, with the key and the header value redacted.
		assertThat(stackTrace(failure)).contains("Incorrect API key provided: [redacted] (organisation token [redacted])");
		this.emitted.put("exception", stackTrace(failure));
		Throwable streamFailure = catchThrowable(() -> this.chat
			.stream(ChatRequest.builder().policy("locked").user("hi").build())
			.collectList()
			.block(Duration.ofSeconds(20)));
		assertThat(streamFailure).isNotNull();
		this.emitted.put("stream exception", stackTrace(streamFailure));
		this.emitted.put("engine", this.engine.toString() + this.engine.models() + this.engine.policies());

		this.emitted.put("logs", output.getAll());
		assertThat(output.getAll()).as("DEBUG logging of the web client was captured").contains("HTTP POST");

		this.emitted.forEach((what, text) -> {
			for (String fragment : FRAGMENTS) {
				assertThat(text).as("%s leaks '%s'", what, fragment).doesNotContainIgnoringCase(fragment);
			}
		});
	}

	private static String stackTrace(Throwable failure) {
		StringWriter text = new StringWriter();
		failure.printStackTrace(new PrintWriter(text));
		return failure + "\n" + text;
	}

}
