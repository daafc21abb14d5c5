package dev.llmfallback.autoconfigure;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.web.reactive.function.client.ClientRequest;
import org.springframework.web.reactive.function.client.WebClient;

import dev.llmfallback.ChatRequest;
import dev.llmfallback.ChatService;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which transport a configured provider calls through: a {@code WebClient} where the application
 * configures one (a customizer, a {@code WebClient.Builder} bean), so that its filters apply;
 * Reactor Netty directly otherwise. Either way the provider receives the same request.
 */
class ProviderTransportTests {

	private static final String ANSWER = """
			{"id":"chatcmpl-1","object":"chat.completion","created":1,"model":"gpt-4o-mini",
			 "choices":[{"index":0,"message":{"role":"assistant","content":"Paris."},"finish_reason":"stop"}],
			 "usage":{"prompt_tokens":12,"completion_tokens":2,"total_tokens":14}}""";

	private final List<Received> received = new CopyOnWriteArrayList<>();

	private DisposableServer server;

	private record Received(String contentType, String accept, String authorization, String contentLength,
			String marker, String body) {
	}

	@BeforeEach
	void startServer() {
		this.server = HttpServer.create()
			.host("127.0.0.1")
			.port(0)
			.route((routes) -> routes.post("/v1/chat/completions",
					(request, response) -> request.receive().aggregate().asString().flatMap((body) -> {
						this.received.add(new Received(request.requestHeaders().get("content-type"),
								request.requestHeaders().get("accept"), request.requestHeaders().get("authorization"),
								request.requestHeaders().get("content-length"),
								request.requestHeaders().get("x-through-webclient"), body));
						return response.header("content-type", "application/json").sendString(Mono.just(ANSWER)).then();
					})))
			.bindNow();
	}

	@AfterEach
	void stopServer() {
		this.server.disposeNow();
	}

	private ApplicationContextRunner runner() {
		return new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(FallbackAutoConfiguration.class))
			.withPropertyValues("llm.fallback.providers.openai.type=openai",
					"llm.fallback.providers.openai.base-url=http://127.0.0.1:" + this.server.port() + "/v1",
					"llm.fallback.providers.openai.api-key=sk-test-transport",
					"llm.fallback.models.gpt-4o-mini.provider=openai", "llm.fallback.policies.chat.models=gpt-4o-mini");
	}

	private static WebClient.Builder marking(WebClient.Builder builder) {
		return builder.filter((request, next) -> next
			.exchange(ClientRequest.from(request).header("x-through-webclient", "yes").build()));
	}

	@Test
	void withoutAConfiguredWebClientProvidersCallReactorNettyDirectly() {
		runner().run((context) -> {
			assertThat(context.getBean(ChatService.class).chat(ChatRequest.of("hi")).block().content())
				.isEqualTo("Paris.");
			assertThat(this.received).singleElement().satisfies((request) -> assertThat(request.marker()).isNull());
		});
	}

	@Test
	void aProviderWebClientCustomizerPutsCallsThroughItsWebClient() {
		runner().withBean(ProviderWebClientCustomizer.class, () -> (provider, builder) -> marking(builder))
			.run((context) -> {
				assertThat(context.getBean(ChatService.class).chat(ChatRequest.of("hi")).block().content())
					.isEqualTo("Paris.");
				assertThat(this.received).singleElement()
					.satisfies((request) -> assertThat(request.marker()).isEqualTo("yes"));
			});
	}

	@Test
	void aWebClientBuilderBeanOfTheApplicationIsUsed() {
		runner().withBean(WebClient.Builder.class, () -> marking(WebClient.builder())).run((context) -> {
			assertThat(context.getBean(ChatService.class).chat(ChatRequest.of("hi")).block().content())
				.isEqualTo("Paris.");
			assertThat(this.received).singleElement().satisfies((request) -> assertThat(request.marker()).isEqualTo("yes"));
		});
	}

	@Test
	void bothTransportsSendTheSameRequest() {
		runner().run((context) -> context.getBean(ChatService.class).chat(ChatRequest.of("hi")).block());
		runner().withBean(ProviderWebClientCustomizer.class, () -> (provider, builder) -> marking(builder))
			.run((context) -> context.getBean(ChatService.class).chat(ChatRequest.of("hi")).block());
		assertThat(this.received).hasSize(2);
		Received direct = this.received.get(0);
		Received viaWebClient = this.received.get(1);
		assertThat(direct.contentType()).isEqualTo("application/json");
		assertThat(direct.accept()).isEqualTo("application/json");
		assertThat(direct.authorization()).isEqualTo("Bearer sk-test-transport");
		assertThat(direct.contentLength()).isEqualTo(Integer.toString(direct.body().getBytes().length));
		assertThat(viaWebClient).usingRecursiveComparison().ignoringFields("marker").isEqualTo(direct);
	}

}
