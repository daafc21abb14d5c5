package dev.llmfallback.sample;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.errors.UnauthorizedException;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.security.web.server.WebFilterChainProxy;
import org.springframework.security.web.server.firewall.ServerWebExchangeFirewall;
import org.springframework.test.util.ReflectionTestUtils;
import org.springframework.web.reactive.function.client.WebClient;

import dev.llmfallback.web.FallbackErrorResponse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Who may call the gateway: client keys, over real HTTP, and the start-up rule for real providers. */
class GatewayAccessTests {

	static final String KEY = "gw-test-key-7f3a";

	static final String OTHER_KEY = "gw-second-key-19c2";

	/** status, content type, {@code x-should-retry}, body. */
	record Answer(int status, String type, List<String> shouldRetry, String body) {
	}

	static Answer send(int port, HttpMethod method, String path, Map<String, String> headers, String body) {
		WebClient.RequestBodySpec request = LoopbackClients.to(port).method(method).uri(path);
		headers.forEach(request::header);
		WebClient.RequestHeadersSpec<?> spec = (body != null)
				? request.contentType(MediaType.APPLICATION_JSON).bodyValue(body) : request;
		return spec.exchangeToMono((response) -> response.bodyToMono(String.class)
			.defaultIfEmpty("")
			.map((text) -> new Answer(response.statusCode().value(),
					response.headers().contentType().map(MediaType::toString).orElse(""),
					response.headers().header(FallbackErrorResponse.SHOULD_RETRY), text)))
			.block(Duration.ofSeconds(20));
	}

	static final String COMPLETION = "{\"model\":\"chat\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

	@Nested
	@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
			properties = { "llm.gateway.client-keys=" + KEY + "," + OTHER_KEY,
					"sample.simulator.providers.flaky.rate-limited=0", "sample.simulator.providers.flaky.overloaded=0",
					"sample.simulator.providers.flaky.slow=0" })
	@ExtendWith(OutputCaptureExtension.class)
	class WithClientKeys {

		@LocalServerPort
		int port;

		@Autowired
		WebFilterChainProxy securityFilter;

		@Test
		void keepsSecuritysStrictFirewall() {
			assertThat(ReflectionTestUtils.getField(this.securityFilter, "firewall"))
				.isNotSameAs(ServerWebExchangeFirewall.INSECURE_NOOP);
		}

		@Test
		void noKeyIs401InEachEndpointsOwnFormatWithXShouldRetryFalse() {
			Answer openAi = send(this.port, HttpMethod.POST, "/v1/chat/completions", Map.of(), COMPLETION);
			assertThat(openAi.status()).isEqualTo(401);
			assertThat(openAi.type()).startsWith("application/json");
			assertThat(openAi.body()).contains("\"code\":\"invalid_api_key\"").contains("\"type\":\"invalid_request_error\"");
			assertThat(openAi.shouldRetry()).containsExactly("false");
			assertThat(send(this.port, HttpMethod.GET, "/v1/models", Map.of(), null).status()).isEqualTo(401);

			for (String path : List.of("/chat", "/chat/stream")) {
				Answer chat = send(this.port, HttpMethod.POST, path, Map.of(), "{\"prompt\":\"hi\"}");
				assertThat(chat.status()).as(path).isEqualTo(401);
				assertThat(chat.type()).as(path).startsWith("application/problem+json");
				assertThat(chat.body()).as(path).contains("\"status\":401").contains("\"category\":\"authentication\"");
				assertThat(chat.shouldRetry()).as(path).containsExactly("false");
			}
		}

		@Test
		void aWrongKeyIs401AndIsNeverEchoedNorLogged(CapturedOutput output) {
			String wrong = "sk-wrong-key-b8d1e0";
			for (Map<String, String> headers : List.of(Map.of("Authorization", "Bearer " + wrong), Map.of("x-api-key", wrong),
					Map.of("Authorization", "Basic " + wrong))) {
				Answer answer = send(this.port, HttpMethod.POST, "/v1/chat/completions", headers, COMPLETION);
				assertThat(answer.status()).as(headers.toString()).isEqualTo(401);
				assertThat(answer.body()).contains("Incorrect API key").doesNotContain(wrong);
				assertThat(answer.shouldRetry()).containsExactly("false");
			}
			assertThat(output.getAll()).doesNotContain(wrong).doesNotContain(KEY).doesNotContain(OTHER_KEY);
		}

		@Test
		void theRightKeyInEitherHeaderIsServed() {
			assertThat(send(this.port, HttpMethod.POST, "/v1/chat/completions", Map.of("Authorization", "Bearer " + KEY),
					COMPLETION).status()).isEqualTo(200);
			assertThat(send(this.port, HttpMethod.POST, "/v1/chat/completions", Map.of("x-api-key", OTHER_KEY), COMPLETION)
				.status()).isEqualTo(200);
			assertThat(send(this.port, HttpMethod.POST, "/chat", Map.of("x-api-key", KEY), "{\"prompt\":\"hi\"}").status())
				.isEqualTo(200);
			assertThat(send(this.port, HttpMethod.POST, "/chat/stream", Map.of("Authorization", "bearer " + KEY),
					"{\"prompt\":\"hi\"}").body()).contains("event:done");
		}

		@Test
		void theOfficialSdkSendsItsKeyAsBearerAndDoesNotRetryA401() {
			ChatCompletionCreateParams params = ChatCompletionCreateParams.builder().model("chat").addUserMessage("hi").build();
			assertThat(OpenAIOkHttpClient.builder()
				.baseUrl("http://127.0.0.1:" + this.port + "/v1")
				.apiKey(KEY)
				.build()
				.chat()
				.completions()
				.create(params)
				.choices()).hasSize(1);
			long start = System.nanoTime();
			assertThatThrownBy(() -> OpenAIOkHttpClient.builder()
				.baseUrl("http://127.0.0.1:" + this.port + "/v1")
				.apiKey("sk-not-a-client-key")
				.build()
				.chat()
				.completions()
				.create(params)).isInstanceOf(UnauthorizedException.class);
			// 401 is not retried by the SDK anyway; x-should-retry: false makes sure of it for any client.
			assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
		}

		@Test
		void healthAndMetricsStayReadableTheResetNeedsAKey() {
			assertThat(send(this.port, HttpMethod.GET, "/actuator/health", Map.of(), null).status()).isEqualTo(200);
			assertThat(send(this.port, HttpMethod.GET, "/actuator/metrics", Map.of(), null).status()).isEqualTo(200);
			assertThat(send(this.port, HttpMethod.GET, "/actuator/fallbacks", Map.of(), null).status()).isEqualTo(200);
			String reset = "{\"action\":\"reset\"}";
			Answer refused = send(this.port, HttpMethod.POST, "/actuator/fallbacks/gpt-4o-mini", Map.of(), reset);
			assertThat(refused.status()).isEqualTo(401);
			assertThat(refused.shouldRetry()).containsExactly("false");
			assertThat(send(this.port, HttpMethod.POST, "/actuator/fallbacks/gpt-4o-mini", Map.of("x-api-key", KEY), reset)
				.status()).isBetween(200, 204);
		}

	}

	@Nested
	@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
	class SimulatedDefault {

		@LocalServerPort
		int port;

		@Autowired
		WebFilterChainProxy securityFilter;

		@Test
		void skipsSecuritysFirewallAndFilterChainObservationsSinceNothingIsProtected() {
			assertThat(ReflectionTestUtils.getField(this.securityFilter, "firewall"))
				.isSameAs(ServerWebExchangeFirewall.INSECURE_NOOP);
			assertThat(ReflectionTestUtils.getField(this.securityFilter, "filterChainDecorator"))
				.isInstanceOf(WebFilterChainProxy.DefaultWebFilterChainDecorator.class);
		}

		@Test
		void isOpenBecauseEveryProviderIsOnLoopback() {
			assertThat(send(this.port, HttpMethod.POST, "/v1/chat/completions", Map.of(), COMPLETION).status())
				.isNotEqualTo(401);
			assertThat(send(this.port, HttpMethod.GET, "/v1/models", Map.of(), null).status()).isEqualTo(200);
		}

	}

	static final String[] REMOTE_PROVIDER = { "server.port=0", "llm.fallback.providers.remote.type=openai",
			"llm.fallback.providers.remote.base-url=https://api.openai.com/v1",
			"llm.fallback.providers.remote.api-key=sk-remote-not-real", "llm.fallback.models.remote-model.provider=remote",
			"llm.fallback.models.remote-model.model=gpt-4o-mini" };

	@Nested
	@ExtendWith(OutputCaptureExtension.class)
	class StartUp {

		@Test
		void aProviderOffThisMachineWithoutClientKeysFailsNamingTheProperty(CapturedOutput output) {
			assertThatThrownBy(() -> new SpringApplicationBuilder(SampleApplication.class).properties(REMOTE_PROVIDER)
				.run()
				.close()).hasMessageContaining("llm.gateway.client-keys").hasMessageContaining("remote");
			assertThat(output.getAll()).contains("llm.gateway.open=true").doesNotContain("sk-remote-not-real");
		}

		@Test
		void anOpenGatewayStartsWithOneWarning(CapturedOutput output) {
			try (ConfigurableApplicationContext context = new SpringApplicationBuilder(SampleApplication.class)
				.properties(REMOTE_PROVIDER)
				.properties("llm.gateway.open=true")
				.run()) {
				assertThat(output.getAll()).containsOnlyOnce("The gateway is open (llm.gateway.open=true)");
			}
		}

		@Test
		void theRealProfileReadsItsClientKeysFromTheEnvironment() {
			try (ConfigurableApplicationContext context = new SpringApplicationBuilder(SampleApplication.class)
				.profiles("real")
				.properties("server.port=0", "ANTHROPIC_API_KEY=sk-ant-not-a-real-key",
						"GATEWAY_CLIENT_KEYS=" + KEY + "," + OTHER_KEY)
				.run()) {
				assertThat(context.getBean(dev.llmfallback.sample.gateway.GatewayProperties.class).getClientKeys())
					.containsExactly(KEY, OTHER_KEY);
			}
			assertThatThrownBy(() -> new SpringApplicationBuilder(SampleApplication.class).profiles("real")
				.properties("server.port=0", "ANTHROPIC_API_KEY=sk-ant-not-a-real-key")
				.run()
				.close()).hasMessageContaining("llm.gateway.client-keys");
		}

		@Test
		void clientKeysLetItStart() {
			try (ConfigurableApplicationContext context = new SpringApplicationBuilder(SampleApplication.class)
				.properties(REMOTE_PROVIDER)
				.properties("llm.gateway.client-keys=" + KEY)
				.run()) {
				assertThat(context.isRunning()).isTrue();
			}
		}

	}

}
