package dev.llmfallback.provider.http;

import java.net.URI;
import java.time.Clock;
import java.util.Objects;
import java.util.function.Function;

import dev.llmfallback.ErrorCategory;
import dev.llmfallback.LlmException;
import dev.llmfallback.LlmException.ClassificationBasis;
import dev.llmfallback.provider.ChatProvider;
import dev.llmfallback.provider.ClassificationRules;
import dev.llmfallback.provider.ProviderChunk;
import dev.llmfallback.provider.ProviderRequest;
import dev.llmfallback.provider.ProviderResponse;
import dev.llmfallback.provider.ProviderSettings;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Base of the HTTP adapters: sends the request and turns every answer into a response, chunks or
 * a classified {@link LlmException}. The shared transport is in small package-private classes,
 * each with one job: {@link ProviderHttpClient} (pool, timeouts, body limit), {@link AnswerReader}
 * (a whole answer), {@link EventStreamReader} (SSE or NDJSON framing, terminal markers),
 * {@link ProviderFailures} (classification and redaction). An adapter says only what differs per
 * wire format: the endpoint, authentication, fixed headers, and its {@code XxxMessages} mapping
 * through the hooks {@link #body}, {@link #response} and {@link #streamDecoder}.
 *
 * <p>Both calls are lazy, never retry, and cancel the HTTP exchange when their subscriber cancels.
 * API keys go only into headers and are redacted from every exception message.
 *
 * <p>Public, with the few helpers the mappings use ({@link Json}, {@link StreamDecoder},
 * {@link AbstractStreamDecoder}, {@link AnswerFailures}, {@link ErrorRules}, {@link ProviderError},
 * {@link SamplingFields}, {@link FinishReasons}, {@link StreamFraming}), because the adapters live
 * in a package per wire format; the rest of this package is internal.
 */
public abstract class HttpChatProvider implements ChatProvider, AutoCloseable {

	private final ProviderSettings settings;

	private final String baseUrl;

	private final @Nullable URI endpoint;

	private final StreamFraming framing;

	private final ProviderHttpClient http;

	private final ProviderFailures failures;

	private final AnswerReader answers;

	private final EventStreamReader streams;

	/** Made once, not per call. */
	private final Function<JsonNode, ProviderResponse> mapping = this::response;

	private final Function<Throwable, Throwable> classify;

	/**
	 * An adapter whose requests all go to one endpoint ({@code path} below the base URL).
	 * @param settings the provider's settings
	 * @param webClientBuilder the application's builder (cloned), or {@code null}
	 * @param rules the user's message patterns, or {@code null}
	 * @param errors the wire format's own classification rules
	 * @param defaultBaseUrl the provider's documented base URL, or {@code null} where a base URL
	 * must be configured
	 * @param path the endpoint's path below the base URL, or {@code null} where {@link #uri} is
	 * computed per request
	 */
	protected HttpChatProvider(ProviderSettings settings, WebClient.@Nullable Builder webClientBuilder,
			@Nullable ClassificationRules rules, ErrorRules errors, @Nullable String defaultBaseUrl,
			@Nullable String path) {
		this(settings, webClientBuilder, rules, errors, defaultBaseUrl, path, StreamFraming.SSE, Clock.systemUTC());
	}

	/**
	 * An adapter with its own stream framing.
	 * @param settings the provider's settings
	 * @param webClientBuilder the application's builder (cloned), or {@code null}
	 * @param rules the user's message patterns, or {@code null}
	 * @param errors the wire format's own classification rules
	 * @param defaultBaseUrl the provider's documented base URL, or {@code null}
	 * @param path the endpoint's path below the base URL, or {@code null}
	 * @param framing how streamed answers are framed
	 * @param clock the clock for HTTP dates in {@code Retry-After}
	 */
	protected HttpChatProvider(ProviderSettings settings, WebClient.@Nullable Builder webClientBuilder,
			@Nullable ClassificationRules rules, ErrorRules errors, @Nullable String defaultBaseUrl,
			@Nullable String path, StreamFraming framing, Clock clock) {
		this.settings = Objects.requireNonNull(settings, "settings");
		checkBaseUrl(settings);
		String baseUrl = (settings.baseUrl() != null) ? settings.baseUrl() : defaultBaseUrl;
		if (baseUrl == null) {
			throw new IllegalArgumentException("Provider '" + settings.name() + "' of type " + settings.type()
					+ " needs a base-url");
		}
		this.baseUrl = baseUrl;
		this.endpoint = (path != null) ? URI.create(baseUrl + path) : null;
		this.http = ProviderHttpClient.create(settings, webClientBuilder);
		this.failures = new ProviderFailures(settings, rules, errors, clock);
		this.answers = new AnswerReader(this.http.maxResponseBytes(), this.failures);
		this.streams = new EventStreamReader(framing, this.http.maxResponseBytes(), this.failures, this.answers);
		this.framing = framing;
		this.classify = this.failures::classify;
	}

	private static void checkBaseUrl(ProviderSettings settings) {
		if (settings.baseUrl() == null) {
			return;
		}
		URI uri;
		try {
			uri = URI.create(settings.baseUrl());
		}
		catch (IllegalArgumentException ex) {
			uri = null;
		}
		if (uri == null || uri.getHost() == null
				|| !("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()))) {
			throw new IllegalArgumentException("Provider '" + settings.name() + "' has an invalid base-url '"
					+ settings.baseUrl() + "'; expected an absolute http or https URL");
		}
	}

	@Override
	public String name() {
		return this.settings.name();
	}

	@Override
	public String type() {
		return this.settings.type();
	}

	/** @return the provider's settings */
	protected ProviderSettings settings() {
		return this.settings;
	}

	/** @return the configured base URL, or the type's default, without a trailing slash */
	protected String baseUrl() {
		return this.baseUrl;
	}

	/**
	 * The URI to post to: the endpoint given to the constructor, unless the adapter computes one
	 * per request (the model or the stream mode in the path).
	 * @param request the call
	 * @param stream whether the answer is streamed
	 * @return the URI
	 */
	protected URI uri(ProviderRequest request, boolean stream) {
		if (this.endpoint == null) {
			throw new IllegalStateException(getClass().getSimpleName() + " gave no path: it must override uri()");
		}
		return this.endpoint;
	}

	/**
	 * Sends the configured API key. Bearer authentication by default; providers with a key header of
	 * their own override it. Called only when a key is configured.
	 * @param headers the request headers
	 * @param apiKey the key
	 */
	protected void authenticate(HttpHeaders headers, String apiKey) {
		headers.setBearerAuth(apiKey);
	}

	/**
	 * Adds the provider's own fixed headers (none by default).
	 * @param headers the request headers
	 */
	protected void addHeaders(HttpHeaders headers) {
	}

	/**
	 * The request body.
	 * @param request the call
	 * @param stream whether the answer is streamed
	 * @return the body
	 */
	protected abstract ObjectNode body(ProviderRequest request, boolean stream);

	/**
	 * Maps a successful answer.
	 * @param answer the answer's JSON
	 * @return the response
	 * @throws LlmException where the answer carries no usable content (a safety block, no choices)
	 */
	protected abstract ProviderResponse response(JsonNode answer);

	/**
	 * A decoder for one streamed answer.
	 * @param request the call
	 * @return the decoder
	 */
	protected abstract StreamDecoder streamDecoder(ProviderRequest request);

	/**
	 * Classifies an error found inside an answer or a stream event, for decoders that find one.
	 * @param error the error
	 * @return the exception (not thrown)
	 */
	protected LlmException error(ProviderError error) {
		return this.failures.error(error, null);
	}

	@Override
	public Mono<ProviderResponse> chat(ProviderRequest request) {
		return Mono.defer(() -> post(request, false).exchangeToMono((response) -> this.answers.read(response, this.mapping)))
			.onErrorMap(this.classify);
	}

	@Override
	public Flux<ProviderChunk> stream(ProviderRequest request) {
		return Flux.defer(() -> post(request, true)
			.exchangeToFlux((response) -> this.streams.read(response, streamDecoder(request), this.mapping)))
			.onErrorMap(this.classify);
	}

	private WebClient.RequestHeadersSpec<?> post(ProviderRequest request, boolean stream) {
		byte[] body;
		try {
			body = Json.MAPPER.writeValueAsBytes(body(request, stream));
		}
		catch (RuntimeException ex) {
			// An extra parameter that cannot be written as JSON: no provider can do better.
			throw LlmException.builder(ErrorCategory.BAD_REQUEST)
				.message(name() + ": the request cannot be written as JSON: " + ex.getMessage())
				.basis(ClassificationBasis.ENGINE)
				.provider(name())
				.cause(ex)
				.build();
		}
		MediaType accept = !stream ? MediaType.APPLICATION_JSON
				: (this.framing == StreamFraming.SSE) ? MediaType.TEXT_EVENT_STREAM : MediaType.APPLICATION_NDJSON;
		return this.http.webClient()
			.post()
			.uri(uri(request, stream))
			.contentType(MediaType.APPLICATION_JSON)
			.accept(accept)
			.headers((headers) -> {
				if (this.settings.apiKey() != null) {
					authenticate(headers, this.settings.apiKey());
				}
				addHeaders(headers);
				// Configured headers come last, so they can replace any of ours.
				this.settings.headers().forEach(headers::set);
			})
			.bodyValue(body);
	}

	/** Releases this provider's connection pool. */
	@Override
	public void close() {
		this.http.close();
	}

}
