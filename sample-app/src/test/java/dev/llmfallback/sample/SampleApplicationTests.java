package dev.llmfallback.sample;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.ObservationView;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.web.reactive.DispatcherHandler;
import org.springframework.web.reactive.HandlerMapping;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.handler.SimpleUrlHandlerMapping;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebHandler;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.module.blackbird.BlackbirdModule;

import dev.llmfallback.observation.FallbackObservationContext;
import dev.llmfallback.sample.simulator.ProviderSimulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The app on a random port with its simulated providers, called over real HTTP. The flaky primary
 * is made to rate-limit every call, so the hop to the fallback is certain.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "sample.simulator.providers.flaky.rate-limited=1.0",
				"sample.simulator.providers.flaky.overloaded=0", "sample.simulator.providers.flaky.slow=0",
				"llm.fallback.policies.chat.retry.max-retries=0" })
@SuppressWarnings("unchecked")
class SampleApplicationTests {

	@LocalServerPort
	int port;

	@Autowired
	ProviderSimulator simulator;

	@Autowired
	DispatcherHandler dispatcher;

	private WebClient client() {
		return LoopbackClients.to(this.port);
	}

	private Map<?, ?> chat(Map<String, Object> body) {
		return client().post()
			.uri("/chat")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(body)
			.retrieve()
			.bodyToMono(Map.class)
			.block(Duration.ofSeconds(30));
	}

	@Test
	void theGatewaysRouteIsAskedBeforeAnyOtherMappingAndOnlyThere() {
		List<HandlerMapping> mappings = this.dispatcher.getHandlerMappings();
		assertThat(mappings).isNotNull();
		assertThat(mappings.get(0)).as(mappings.toString())
			.isInstanceOfSatisfying(OpenAiGatewayRoutes.ChatCompletionsMapping.class,
					(first) -> assertThat(first.getOrder()).isEqualTo(OpenAiGatewayRoutes.ORDER));
		// A plain WebHandler: run by SimpleHandlerAdapter, with no handler result to resolve.
		assertThat(mappings.get(0).getHandler(chatRequest()).block()).isInstanceOf(WebHandler.class);
		assertThat(mappings.get(0).getHandler(MockServerWebExchange
			.from(MockServerHttpRequest.post("/v1/chat/completions/more").body("{}"))).block()).isNull();
		// No other mapping routes it; the static resources' catch-all, asked last, would take anything.
		assertThat(mappings.subList(1, mappings.size()))
			.filteredOn((other) -> !(other instanceof SimpleUrlHandlerMapping))
			.allSatisfy((other) -> assertThat(other.getHandler(chatRequest()).blockOptional()).as(other.toString())
				.isEmpty());
	}

	@Test
	void requestBodiesAreReadWithBlackbird(@Autowired JsonMapper mapper) {
		// Jackson 3.1 calls record constructors through MethodHandle.invokeWithArguments, 1.1 % of the CPU.
		assertThat(mapper.registeredModules()).anyMatch(BlackbirdModule.class::isInstance);
	}

	@Test
	void theServerMetricsNameTheChatRoute(@Autowired MeterRegistry registry) {
		byte[] chat = "{\"model\":\"chat\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"
			.getBytes(StandardCharsets.UTF_8);
		assertThat(client().post().uri(OpenAiGatewayRoutes.CHAT_COMPLETIONS).contentType(MediaType.APPLICATION_JSON)
			.bodyValue(chat).exchangeToMono((answer) -> Mono.just(answer.statusCode().value())).block()).isEqualTo(200);
		assertThat(client().get().uri(OpenAiGatewayRoutes.CHAT_COMPLETIONS)
			.exchangeToMono((answer) -> Mono.just(answer.statusCode().value())).block()).isEqualTo(405);
		// The server's observation stops once the answer is written, a moment after the client has it.
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
			assertThat(registry.find("http.server.requests").tags("uri", OpenAiGatewayRoutes.CHAT_COMPLETIONS, "status",
					"200").timer()).isNotNull();
			assertThat(registry.find("http.server.requests").tags("uri", OpenAiGatewayRoutes.CHAT_COMPLETIONS, "status",
					"405").timer()).isNotNull();
		});
	}

	@Test
	void theEngineObservesAGatewayRequestInsideTheServersObservation(@Autowired ObservationRegistry registry) {
		List<String> parents = new CopyOnWriteArrayList<>();
		registry.observationConfig().observationHandler(new ObservationHandler<FallbackObservationContext>() {

			@Override
			public void onStart(FallbackObservationContext context) {
				ObservationView parent = context.getParentObservation();
				parents.add((parent != null) ? parent.getContextView().getName() : "none");
			}

			@Override
			public boolean supportsContext(Observation.Context context) {
				return context instanceof FallbackObservationContext;
			}

		});
		byte[] chat = "{\"model\":\"chat\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"
			.getBytes(StandardCharsets.UTF_8);
		assertThat(client().post().uri(OpenAiGatewayRoutes.CHAT_COMPLETIONS).contentType(MediaType.APPLICATION_JSON)
			.bodyValue(chat).exchangeToMono((answer) -> Mono.just(answer.statusCode().value())).block()).isEqualTo(200);
		// The server's observation reaches the engine through the Reactor context the chat handler holds.
		assertThat(parents).containsExactly("http.server.requests");
	}

	private static ServerWebExchange chatRequest() {
		return MockServerWebExchange.from(MockServerHttpRequest.post(OpenAiGatewayRoutes.CHAT_COMPLETIONS).body("{}"));
	}

	@Test
	void aRateLimitedPrimaryHopsToTheFallbackOverTheRealWireFormats() {
		long flakyBefore = this.simulator.requests("flaky");

		Map<?, ?> response = chat(Map.of("prompt", "hello"));

		assertThat(response.get("servedBy")).isEqualTo("claude-haiku");
		assertThat(response.get("provider")).isEqualTo("steady-anthropic");
		assertThat(response.get("providerModel")).isEqualTo("claude-3-5-haiku-latest");
		assertThat((String) response.get("content")).contains("You asked: \"hello\"");
		assertThat(response.get("fallbacks")).isEqualTo(1);
		List<?> attempts = (List<?>) response.get("attempts");
		assertThat(attempts).hasSize(2);
		assertThat((Map<Object, Object>) attempts.get(0)).containsEntry("model", "gpt-4o-mini")
			.containsEntry("outcome", "rate_limit")
			.containsEntry("httpStatus", 429);
		assertThat((Map<Object, Object>) attempts.get(1)).containsEntry("model", "claude-haiku")
			.containsEntry("kind", "fallback")
			.containsEntry("outcome", "success");
		assertThat(this.simulator.requests("flaky") - flakyBefore).isEqualTo(1);
	}

	@Test
	void aPromptTooLongForThePrimarySkipsItWithoutACall() {
		long flakyBefore = this.simulator.requests("flaky");

		Map<?, ?> response = chat(Map.of("prompt", "a long question ".repeat(1000)));

		List<?> attempts = (List<?>) response.get("attempts");
		assertThat((Map<Object, Object>) attempts.get(0)).containsEntry("model", "gpt-4o-mini")
			.containsEntry("outcome", "skipped")
			.containsEntry("skipReason", "context_window");
		assertThat(response.get("servedBy")).isEqualTo("claude-haiku");
		assertThat(this.simulator.requests("flaky")).isEqualTo(flakyBefore);
	}

	@Test
	void hopsShowInTheActuatorMetrics() {
		chat(Map.of("prompt", "count me"));

		Map<?, ?> hops = client().get()
			.uri("/actuator/metrics/llm.fallback.hops?tag=from:gpt-4o-mini&tag=to:claude-haiku&tag=reason:rate_limit")
			.retrieve()
			.bodyToMono(Map.class)
			.block();

		Map<?, ?> count = (Map<?, ?>) ((List<?>) hops.get("measurements")).get(0);
		assertThat(((Number) count.get("value")).doubleValue()).isGreaterThanOrEqualTo(1);
		String prometheus = client().get().uri("/actuator/prometheus").retrieve().bodyToMono(String.class).block();
		assertThat(prometheus).contains("llm_fallback_hops_total").contains("llm_fallback_attempts_total");
	}

	@Test
	void theFailingPrimaryShowsInHealthWithoutTakingTheApplicationDown() {
		chat(Map.of("prompt", "health check"));

		Map<?, ?> model = client().get().uri("/actuator/health/llm/gpt-4o-mini").retrieve().bodyToMono(Map.class).block();
		assertThat(model.get("status")).isIn("UP", "COOLING_DOWN");
		assertThat((Map<Object, Object>) model.get("details")).containsEntry("lastError", "rate_limit")
			.containsEntry("provider", "flaky-openai");
		Map<?, ?> application = client().get().uri("/actuator/health").retrieve().bodyToMono(Map.class).block();
		assertThat(application.get("status")).isEqualTo("UP");
	}

	@Test
	void aRequestWithoutMessagesIsAProblemDetail() {
		var response = client().post()
			.uri("/chat")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of())
			.exchangeToMono((answer) -> answer.bodyToMono(Map.class)
				.map((body) -> Map.of("status", answer.statusCode().value(), "body", body, "type",
						answer.headers().contentType().map(MediaType::toString).orElse(""))))
			.block();

		assertThat(response.get("status")).isEqualTo(400);
		assertThat(response.get("type")).isEqualTo("application/problem+json");
		assertThat(((Map<?, ?>) response.get("body")).get("category")).isEqualTo("bad_request");
	}

}
