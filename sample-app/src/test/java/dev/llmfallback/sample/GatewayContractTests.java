package dev.llmfallback.sample;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.errors.OpenAIServiceException;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.server.WebFilter;

import dev.llmfallback.web.FallbackErrorResponse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Issue 19's table, replayed: single-model policies whose provider answers a real error body, called
 * through the gateway by the official OpenAI Java SDK at its default retries (two re-sends of 408,
 * 409, 429 and 5xx, unless {@code x-should-retry: false}; it waits {@code retry-after-ms}, at most 8
 * s). Asserted: the status, the code, how many requests the gateway saw (one where the answer forbids
 * a re-send), and, where it invites one, that each re-send came after the wait the previous answer
 * gave, from the gateway's own arrival times. The same statuses from {@code /chat}, from
 * {@code /chat/stream} failing before its first chunk, and from a streamed completion.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@Import(GatewayContractTests.Arrivals.class)
class GatewayContractTests {

	private static final ProviderErrorReplay upstream = new ProviderErrorReplay();

	@DynamicPropertySource
	static void providers(DynamicPropertyRegistry registry) {
		for (String name : ProviderErrorReplay.REPLIES.keySet()) {
			String provider = "llm.fallback.providers." + name;
			boolean azure = name.startsWith("azure");
			registry.add(provider + ".type", () -> azure ? "azure-openai" : "openai");
			registry.add(provider + ".base-url", () -> upstream.baseUrl(name) + (azure ? "" : "/v1"));
			registry.add(provider + ".api-key", () -> "sk-upstream-not-real");
			if (azure) {
				registry.add(provider + ".api-version", () -> "2024-10-21");
			}
			registry.add("llm.fallback.models." + name + "-model.provider", () -> name);
			registry.add("llm.fallback.models." + name + "-model.model", () -> "gpt-4o");
			registry.add("llm.fallback.policies." + name + ".models[0]", () -> name + "-model");
			registry.add("llm.fallback.policies." + name + ".retry.max-retries", () -> "0");
			registry.add("llm.fallback.policies." + name + ".cooldown.failures", () -> "100");
		}
		// "model now cooling": the overload cools the model at once, for 2 s (then 4 s after a failed trial).
		registry.add("llm.fallback.policies.overloaded.cooldown.failures", () -> "1");
		registry.add("llm.fallback.policies.overloaded.cooldown.duration", () -> "2s");
	}

	@AfterAll
	static void stopUpstream() {
		upstream.close();
	}

	/** What the gateway saw of each request to its endpoints: when it arrived, what it answered. */
	@TestConfiguration(proxyBeanMethods = false)
	static class Arrivals {

		record Arrival(String path, long nanos, int status, Long retryAfterMillis) {
		}

		final List<Arrival> seen = Collections.synchronizedList(new ArrayList<>());

		@Bean
		WebFilter arrivalRecorder() {
			return (exchange, chain) -> {
				long arrived = System.nanoTime();
				String path = exchange.getRequest().getPath().value();
				exchange.getResponse().beforeCommit(() -> {
					String wait = exchange.getResponse().getHeaders().getFirst(FallbackErrorResponse.RETRY_AFTER_MS);
					this.seen.add(new Arrival(path, arrived, exchange.getResponse().getStatusCode().value(),
							(wait != null) ? Long.valueOf(wait) : null));
					return reactor.core.publisher.Mono.empty();
				});
				return chain.filter(exchange);
			};
		}

	}

	@LocalServerPort
	int port;

	@Autowired
	Arrivals arrivals;

	@BeforeEach
	void forget() {
		this.arrivals.seen.clear();
	}

	/** Policy, status, OpenAI code, whether the answer invites a re-send. */
	static List<Arguments> rows() {
		return List.of(Arguments.of("azure-filter", 400, "content_policy_violation", false),
				Arguments.of("context", 400, "context_length_exceeded", false),
				Arguments.of("bad-key", 502, "authentication", false),
				Arguments.of("no-quota", 429, "insufficient_quota", false),
				Arguments.of("tpm", 429, "rate_limit_exceeded", true),
				Arguments.of("overloaded", 503, "service_unavailable", true));
	}

	private OpenAIClient sdk(int maxRetries) {
		OpenAIOkHttpClient.Builder builder = OpenAIOkHttpClient.builder()
			.baseUrl("http://127.0.0.1:" + this.port + "/v1")
			.apiKey("no-client-key-needed-on-loopback")
			.timeout(Duration.ofSeconds(30));
		return (maxRetries < 0) ? builder.build() : builder.maxRetries(maxRetries).build();
	}

	private static ChatCompletionCreateParams params(String model) {
		return ChatCompletionCreateParams.builder().model(model).addUserMessage("hi").build();
	}

	private List<Arrivals.Arrival> completions() {
		return this.arrivals.seen.stream().filter((arrival) -> arrival.path().equals("/v1/chat/completions")).toList();
	}

	@ParameterizedTest(name = "{0}: {1} {2}")
	@MethodSource("rows")
	void theOfficialSdkAtItsDefaultRetriesGetsTheStatusTheCodeAndTheRightNumberOfTries(String policy, int status,
			String code, boolean invitesResend) {
		OpenAIServiceException failure = null;
		try {
			sdk(-1).chat().completions().create(params(policy));
			fail("the gateway answered");
		}
		catch (OpenAIServiceException ex) {
			failure = ex;
		}
		assertThat(failure.statusCode()).isEqualTo(status);
		assertThat(failure.code()).contains(code);
		assertThat(failure.headers().values(FallbackErrorResponse.CATEGORY)).hasSize(1);
		List<Arrivals.Arrival> seen = completions();
		if (!invitesResend) {
			assertThat(failure.headers().values(FallbackErrorResponse.SHOULD_RETRY)).containsExactly("false");
			assertThat(seen).hasSize(1);
			return;
		}
		assertThat(failure.headers().values("retry-after")).hasSize(1);
		assertThat(seen).hasSize(3).allSatisfy((arrival) -> assertThat(arrival.status()).isEqualTo(status));
		for (int i = 1; i < seen.size(); i++) {
			long gapMillis = Duration.ofNanos(seen.get(i).nanos() - seen.get(i - 1).nanos()).toMillis();
			assertThat(seen.get(i - 1).retryAfterMillis()).as("retry-after-ms of answer %d", i).isNotNull();
			assertThat(gapMillis).as("re-send %d came after the wait", i)
				.isGreaterThanOrEqualTo(seen.get(i - 1).retryAfterMillis());
		}
		if (policy.equals("tpm")) {
			assertThat(seen).allSatisfy((arrival) -> assertThat(arrival.retryAfterMillis()).isEqualTo(4000L));
		}
	}

	@ParameterizedTest(name = "{0}: {1}")
	@MethodSource("rows")
	void theSameStatusesFromChatFromChatStreamAndFromAStreamedCompletion(String policy, int status, String code,
			boolean invitesResend) {
		WebClient client = LoopbackClients.to(this.port);
		for (String path : List.of("/chat", "/chat/stream")) {
			Map<String, Object> answer = client.post()
				.uri(path)
				.contentType(MediaType.APPLICATION_JSON)
				.bodyValue(Map.of("prompt", "hi", "policy", policy))
				.exchangeToMono((response) -> response.bodyToMono(String.class)
					.map((body) -> Map.<String, Object>of("status", response.statusCode().value(), "type",
							response.headers().contentType().map(MediaType::toString).orElse(""), "shouldRetry",
							response.headers().header(FallbackErrorResponse.SHOULD_RETRY), "body", body)))
				.block(Duration.ofSeconds(20));
			assertThat(answer.get("status")).as(path).isEqualTo(status);
			assertThat(answer.get("type")).as(path).isEqualTo("application/problem+json");
			assertThat(answer.get("shouldRetry")).as(path).isEqualTo(invitesResend ? List.of() : List.of("false"));
		}
		try (StreamResponse<ChatCompletionChunk> stream = sdk(0).chat().completions().createStreaming(params(policy))) {
			stream.stream().forEach((chunk) -> {
			});
			fail("the gateway streamed an answer");
		}
		catch (OpenAIServiceException ex) {
			assertThat(ex.statusCode()).isEqualTo(status);
			assertThat(ex.code()).contains(code);
		}
	}

}
