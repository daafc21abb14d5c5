package dev.llmfallback.sample;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.reactive.function.client.WebClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code docs/grafana-dashboard.json} against what the app really exports: after traffic through the
 * simulated providers (a hop, a cooldown, a stream, the gateway) and one call to a server whose
 * error only its status classifies, every query of the dashboard names meters present at
 * {@code /actuator/prometheus}, and every label it selects or groups by is a label of those meters.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "sample.simulator.providers.flaky.rate-limited=1.0",
				"sample.simulator.providers.flaky.overloaded=0", "sample.simulator.providers.flaky.slow=0",
				"llm.fallback.policies.chat.retry.max-retries=0", "llm.fallback.policies.chat.cooldown.failures=1",
				"llm.fallback.providers.odd-proxy.type=openai", "llm.fallback.providers.odd-proxy.api-key=simulated",
				"llm.fallback.models.odd-model.provider=odd-proxy", "llm.fallback.models.odd-model.model=gpt-4o-mini",
				"llm.fallback.policies.probe.models=odd-model,claude-haiku",
				"llm.fallback.policies.probe.retry.max-retries=0" })
class GrafanaDashboardTests {

	static final Path DASHBOARD = Path.of("..", "docs", "grafana-dashboard.json");

	/** A metric name of this product in PromQL: the meters' dotted names with underscores. */
	private static final Pattern METRIC = Pattern.compile("\\b(?:llm_fallback|gen_ai)_[a-z0-9_]+\\b");

	/** A selector's label matchers: {@code metric{label="value", other=~"..."}}. */
	private static final Pattern SELECTOR = Pattern.compile("\\b((?:llm_fallback|gen_ai)_[a-z0-9_]+)\\s*\\{([^}]*)}");

	private static final Pattern MATCHER_LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)\\s*(?:=~|!~|!=|=)");

	private static final Pattern GROUPING = Pattern.compile("\\b(?:by|without)\\s*\\(([^)]*)\\)");

	private static final Pattern LABEL_VALUES = Pattern.compile("label_values\\(\\s*([a-z0-9_]+)[^,]*,\\s*([a-zA-Z0-9_]+)\\s*\\)");

	/** An OpenAI-compatible proxy that answers a bare 502 page, which only its status classifies. */
	static final HttpServer oddProxy = start();

	@LocalServerPort
	int port;

	private static HttpServer start() {
		try {
			HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
			server.createContext("/", (exchange) -> {
				exchange.getRequestBody().readAllBytes();
				byte[] body = "upstream went away".getBytes(StandardCharsets.UTF_8);
				exchange.getResponseHeaders().set("Content-Type", "text/plain");
				exchange.sendResponseHeaders(502, body.length);
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
	static void oddProxyUrl(DynamicPropertyRegistry registry) {
		registry.add("llm.fallback.providers.odd-proxy.base-url",
				() -> "http://127.0.0.1:" + oddProxy.getAddress().getPort() + "/v1");
	}

	@AfterAll
	static void stop() {
		oddProxy.stop(0);
	}

	private Map<String, Set<String>> exported;

	@BeforeEach
	void sendTrafficAndReadTheExport() throws IOException {
		WebClient client = LoopbackClients.to(this.port);
		post(client, "/chat", "{\"prompt\":\"hello\"}"); // 429 on the primary, cooled at once, a hop
		post(client, "/chat", "{\"prompt\":\"again\"}"); // the primary skipped while it cools
		post(client, "/chat", "{\"prompt\":\"through a proxy\",\"policy\":\"probe\"}"); // a 502 page, unclassified
		post(client, "/chat/stream", "{\"prompt\":\"a stream\"}");
		post(client, "/v1/chat/completions",
				"{\"model\":\"chat\",\"messages\":[{\"role\":\"user\",\"content\":\"the gateway\"}]}");
		String prometheus = client.get().uri("/actuator/prometheus").retrieve().bodyToMono(String.class).block();
		Files.createDirectories(Path.of("target"));
		Files.writeString(Path.of("target", "prometheus-export.txt"), prometheus);
		this.exported = parse(prometheus);
	}

	private static void post(WebClient client, String path, String json) {
		client.post()
			.uri(path)
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(json)
			.retrieve()
			.bodyToMono(String.class)
			.block();
	}

	/** Metric name to its label names, from Prometheus' text format. */
	private static Map<String, Set<String>> parse(String prometheus) {
		Map<String, Set<String>> metrics = new TreeMap<>();
		for (String line : prometheus.split("\n")) {
			if (line.isBlank() || line.startsWith("#")) {
				continue;
			}
			int brace = line.indexOf('{');
			int space = line.indexOf(' ');
			String name = line.substring(0, (brace >= 0 && brace < space) ? brace : space);
			Set<String> labels = metrics.computeIfAbsent(name, (key) -> new TreeSet<>());
			if (brace >= 0 && brace < space) {
				Matcher label = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"").matcher(line.substring(brace));
				while (label.find()) {
					labels.add(label.group(1));
				}
			}
		}
		return metrics;
	}

	@Test
	void everyQueryNamesMetersAndLabelsTheAppExports() throws IOException {
		List<String> queries = queries();
		assertThat(queries).as("queries of %s", DASHBOARD).hasSizeGreaterThanOrEqualTo(10);
		for (String query : queries) {
			Set<String> metrics = metrics(query);
			assertThat(metrics).as("meters named by %s", query).isNotEmpty();
			assertThat(this.exported.keySet()).as("exported metrics, for %s", query).containsAll(metrics);
			Set<String> labels = new TreeSet<>();
			metrics.forEach((metric) -> labels.addAll(this.exported.get(metric)));
			Matcher selector = SELECTOR.matcher(query);
			while (selector.find()) {
				Matcher label = MATCHER_LABEL.matcher(selector.group(2));
				while (label.find()) {
					assertThat(this.exported.get(selector.group(1))).as("labels of %s, for %s", selector.group(1), query)
						.contains(label.group(1));
				}
			}
			Matcher grouping = GROUPING.matcher(query);
			while (grouping.find()) {
				for (String label : grouping.group(1).split(",")) {
					if (!label.isBlank()) {
						assertThat(labels).as("labels of %s, for %s", metrics, query).contains(label.trim());
					}
				}
			}
			Matcher labelValues = LABEL_VALUES.matcher(query);
			while (labelValues.find()) {
				assertThat(this.exported.get(labelValues.group(1))).as("labels, for %s", query)
					.contains(labelValues.group(2));
			}
		}
	}

	@Test
	void everyMeterOfTheDesignIsOnTheDashboard() throws IOException {
		Set<String> named = new TreeSet<>();
		queries().forEach((query) -> named.addAll(metrics(query)));
		assertThat(named).contains("llm_fallback_attempts_total", "llm_fallback_hops_total",
				"llm_fallback_requests_seconds_count", "llm_fallback_cooldowns_total", "llm_fallback_model_available",
				"llm_fallback_unclassified_total", "gen_ai_client_operation_duration_seconds_count");
		assertThat(named).anyMatch((name) -> name.startsWith("gen_ai_client_token_usage"));
	}

	/** The metric names of a query: its label names (groupings, matchers, label_values' label) left out. */
	private static Set<String> metrics(String query) {
		String withoutLabels = GROUPING.matcher(query).replaceAll(" ")
			.replaceAll("\\{[^}]*}", "{}")
			.replaceAll("label_values\\(([^,]*),[^)]*\\)", "label_values($1)");
		Set<String> metrics = new LinkedHashSet<>();
		Matcher metric = METRIC.matcher(withoutLabels);
		while (metric.find()) {
			metrics.add(metric.group());
		}
		return metrics;
	}

	/** Every PromQL expression of the dashboard: panel targets (rows' panels too) and variable queries. */
	private static List<String> queries() throws IOException {
		JsonNode dashboard = JsonMapper.builder().build().readTree(Files.readString(DASHBOARD));
		List<String> queries = new ArrayList<>();
		collectTargets(dashboard.path("panels"), queries);
		for (JsonNode variable : dashboard.path("templating").path("list")) {
			if ("query".equals(variable.path("type").asString())) {
				JsonNode query = variable.path("query");
				queries.add(query.isObject() ? query.path("query").asString() : query.asString());
			}
		}
		return queries;
	}

	private static void collectTargets(JsonNode panels, List<String> queries) {
		for (JsonNode panel : panels) {
			for (JsonNode target : panel.path("targets")) {
				queries.add(target.path("expr").asString());
			}
			collectTargets(panel.path("panels"), queries);
		}
	}

}
