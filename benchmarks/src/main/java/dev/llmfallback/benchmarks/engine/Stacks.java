package dev.llmfallback.benchmarks.engine;

import java.nio.charset.StandardCharsets;
import java.util.List;

import okhttp3.Interceptor;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.springframework.ai.chat.messages.SystemMessage;
import org.springframework.ai.chat.messages.UserMessage;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.ai.openai.OpenAiChatModel;
import org.springframework.ai.openai.OpenAiChatOptions;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

import dev.llmfallback.ChatRequest;
import dev.llmfallback.policy.CooldownSpec;
import dev.llmfallback.policy.FallbackPolicy;
import dev.llmfallback.policy.ModelDefinition;
import dev.llmfallback.provider.ChatProvider;
import dev.llmfallback.provider.ChatProviders;
import dev.llmfallback.provider.ProviderSettings;
import dev.llmfallback.engine.FallbackEngine;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.client.reactive.ClientHttpConnector;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.reactive.function.client.ExchangeFunctions;
import org.springframework.web.reactive.function.client.ExchangeStrategies;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * The client stacks the engine benchmarks compare, each sending the same prompt ("Be brief." /
 * "What is the capital of France?") for model {@code gpt-4o-mini} and reading the same completion:
 * the bare HTTP clients (WebClient on Reactor Netty, OkHttp) posting the body our adapter sends, our
 * OpenAI adapter alone and behind the engine, and Spring AI's {@link OpenAiChatModel} as a user gets
 * it (default options: the openai-java SDK with its retries, on Spring AI's OkHttp client).
 */
final class Stacks {

	static final String MODEL = "gpt-4o-mini";

	static final String API_KEY = "bench";

	static final String SYSTEM = "Be brief.";

	static final String USER = "What is the capital of France?";

	/** The JSON our OpenAI adapter writes for the prompt: what the bare clients post. */
	static final byte[] BODY = ("{\"model\":\"" + MODEL + "\",\"messages\":[{\"role\":\"system\",\"content\":\"" + SYSTEM
			+ "\"},{\"role\":\"user\",\"content\":\"" + USER + "\"}]}").getBytes(StandardCharsets.UTF_8);

	private static final okhttp3.MediaType JSON = okhttp3.MediaType.get("application/json");

	private Stacks() {
	}

	static ChatRequest chatRequest() {
		return ChatRequest.builder().system(SYSTEM).user(USER).build();
	}

	static Prompt prompt() {
		return new Prompt(List.of(new SystemMessage(SYSTEM), new UserMessage(USER)));
	}

	/**
	 * Our OpenAI adapter, on its own connection pool (loopback) or on a stub transport.
	 * @param name the provider's name
	 * @param baseUrl its base URL
	 * @param stub a connector that replaces the network, or {@code null} for Reactor Netty
	 * @return the adapter (close it)
	 */
	static ChatProvider openAiProvider(String name, String baseUrl, ClientHttpConnector stub) {
		ProviderSettings settings = ProviderSettings.builder(name, "openai").baseUrl(baseUrl).apiKey(API_KEY).build();
		// An exchange function wins over the connector the adapter sets, so the stub is all that answers.
		WebClient.Builder builder = (stub != null)
				? WebClient.builder().exchangeFunction(ExchangeFunctions.create(stub, ExchangeStrategies.withDefaults()))
				: null;
		return ChatProviders.create(settings, builder, null);
	}

	/**
	 * The engine with one model on one provider: the happy path.
	 * @param provider the provider
	 * @return the engine
	 */
	static FallbackEngine engine(ChatProvider provider) {
		return FallbackEngine.builder()
			.provider(provider)
			.model(ModelDefinition.builder(MODEL).provider(provider.name()).build())
			.policy(FallbackPolicy.builder("chat").models(MODEL).build())
			.build();
	}

	/**
	 * The engine whose first model always fails (a 503) and whose second serves.
	 * @param primary the failing provider
	 * @param secondary the serving provider
	 * @return the engine
	 */
	static FallbackEngine failoverEngine(ChatProvider primary, ChatProvider secondary) {
		return FallbackEngine.builder()
			.provider(primary)
			.provider(secondary)
			.model(ModelDefinition.builder("primary").provider(primary.name()).build())
			.model(ModelDefinition.builder(MODEL).provider(secondary.name()).build())
			// No retries and a cooldown window too short to ever open, so every call measures the same fail-then-hop path.
			.policy(FallbackPolicy.builder("chat")
				.models("primary", MODEL)
				.retryOn(List.of())
				.cooldown(CooldownSpec.builder().window(java.time.Duration.ofNanos(1)).build())
				.build())
			.build();
	}

	/**
	 * Spring AI's OpenAI chat model with its default options (retries included), pointed at
	 * {@code baseUrl}.
	 * @param baseUrl the base URL
	 * @param stub an OkHttp interceptor that replaces the network, or {@code null}
	 * @return the chat model
	 */
	static OpenAiChatModel springAi(String baseUrl, Interceptor stub) {
		OpenAiChatModel.Builder builder = OpenAiChatModel.builder()
			.options(OpenAiChatOptions.builder().baseUrl(baseUrl).apiKey(API_KEY).model(MODEL).build());
		if (stub != null) {
			builder.httpClientBuilderCustomizer((http) -> http.interceptor(stub));
		}
		return builder.build();
	}

	/** A bare WebClient on Reactor Netty with a pool of its own: the direct call on loopback. */
	static WebClient webClient(ConnectionProvider connections) {
		return WebClient.builder().clientConnector(new ReactorClientHttpConnector(HttpClient.create(connections))).build();
	}

	/** A bare WebClient on a stub connector: the direct call without network. */
	static WebClient webClient(ClientHttpConnector stub) {
		return WebClient.builder().clientConnector(stub).build();
	}

	/**
	 * Posts {@link #BODY} and reads the answer as a string, the least a client must do.
	 * @param webClient the client
	 * @param url the chat completions URL
	 * @return the answer
	 */
	static String post(WebClient webClient, String url) {
		return webClient.post()
			.uri(url)
			.contentType(MediaType.APPLICATION_JSON)
			.accept(MediaType.APPLICATION_JSON)
			.header(HttpHeaders.AUTHORIZATION, "Bearer " + API_KEY)
			.bodyValue(BODY)
			.retrieve()
			.bodyToMono(String.class)
			.block();
	}

	/** A bare OkHttp client, optionally on a stub interceptor: the direct call on Spring AI's transport. */
	static OkHttpClient okHttp(Interceptor stub) {
		OkHttpClient.Builder builder = new OkHttpClient.Builder();
		if (stub != null) {
			builder.addInterceptor(stub);
		}
		return builder.build();
	}

	/**
	 * Posts {@link #BODY} with OkHttp and reads the answer as a string.
	 * @param client the client
	 * @param url the chat completions URL
	 * @return the answer
	 */
	static String post(OkHttpClient client, String url) {
		Request request = new Request.Builder().url(url)
			.header("Authorization", "Bearer " + API_KEY)
			.header("Accept", "application/json")
			.post(RequestBody.create(BODY, JSON))
			.build();
		try (Response response = client.newCall(request).execute()) {
			if (!response.isSuccessful()) {
				throw new IllegalStateException("the upstream answered " + response.code());
			}
			return response.body().string();
		}
		catch (java.io.IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
	}

	/** Closes an adapter (each owns a connection pool). */
	static void close(Object closeable) {
		if (closeable instanceof AutoCloseable resource) {
			try {
				resource.close();
			}
			catch (Exception ex) {
				// Closing at the end of a trial: nothing left to measure.
			}
		}
	}

}
