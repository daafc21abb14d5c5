package dev.llmfallback.provider.http;

import java.net.URI;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Supplier;

import dev.llmfallback.ChatRequest;
import dev.llmfallback.ErrorCategory;
import dev.llmfallback.LlmException.ClassificationBasis;
import dev.llmfallback.LlmException;
import dev.llmfallback.provider.ChatProvider;
import dev.llmfallback.provider.ClassificationRules;
import dev.llmfallback.provider.ProviderChunk;
import dev.llmfallback.provider.ProviderEmbeddingRequest;
import dev.llmfallback.provider.ProviderEmbeddings;
import dev.llmfallback.provider.ProviderRequest;
import dev.llmfallback.provider.ProviderResponse;
import dev.llmfallback.provider.ProviderSettings;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
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
 * wire format: its {@link HttpWireFormat} (the {@code XxxMessages} mapping, the {@code XxxErrors}
 * rules, framing, endpoint) and, where needed, the hooks {@link #uri}, {@link #authenticate} and
 * {@link #addHeaders}.
 *
 * <p>Both calls are lazy, never retry, and cancel the HTTP exchange when their subscriber cancels.
 * API keys go only into headers and are redacted from every exception message.
 *
 * <p>Public, with the few types the adapters and their mappings use ({@link HttpWireFormat},
 * {@link ChatMapping}, {@link StreamDecoder}, {@link AbstractStreamDecoder}, {@link ErrorRules},
 * {@link ProviderError}, {@link AnswerFailures}, {@link StreamFraming}, {@link Json},
 * {@link SamplingFields}, {@link FinishReasons}), because the adapters live in a package per wire
 * format; the rest of this package is internal.
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

	private final ChatMapping messages;

	// The functions each call hands on, made once rather than per call.

	private final Function<JsonNode, ProviderResponse> mapping;

	private final Function<ProviderError, LlmException> inStreamError;

	private final Function<Throwable, Throwable> classify;

	// The headers of each kind of call, built at its first (see fixedHeaders).

	private volatile @Nullable FixedRequestHeaders answerHeaders;

	private volatile @Nullable FixedRequestHeaders streamHeaders;

	/**
	 * An adapter of a wire format.
	 * @param settings the provider's settings
	 * @param webClientBuilder the application's builder (cloned), or {@code null} to call Reactor Netty directly
	 * @param rules the user's message patterns, or {@code null}
	 * @param wire the format: mapping, error rules, framing, endpoint
	 */
	protected HttpChatProvider(ProviderSettings settings, WebClient.@Nullable Builder webClientBuilder,
			@Nullable ClassificationRules rules, HttpWireFormat wire) {
		this.settings = Objects.requireNonNull(settings, "settings");
		HttpSettingsChecks.check(settings);
		String baseUrl = (settings.baseUrl() != null) ? settings.baseUrl() : wire.defaultBaseUrl();
		if (baseUrl == null) {
			throw new IllegalArgumentException("Provider '" + settings.name() + "' of type " + settings.type()
					+ " needs a base-url");
		}
		this.baseUrl = baseUrl;
		this.endpoint = (wire.path() != null) ? URI.create(baseUrl + wire.path()) : null;
		this.framing = wire.framing();
		this.messages = wire.mapping();
		this.http = ProviderHttpClient.create(settings, webClientBuilder);
		this.failures = new ProviderFailures(settings, rules, wire.errors(), Clock.systemUTC());
		this.answers = new AnswerReader(this.http.maxResponseBytes(), this.failures);
		this.streams = new EventStreamReader(this.framing, this.http.maxResponseBytes(), this.failures, this.answers);
		this.mapping = (answer) -> this.messages.response(name(), answer);
		this.inStreamError = (error) -> this.failures.error(error, null);
		this.classify = this.failures::classify;
	}

	@Override
	public String name() {
		return this.settings.name();
	}

	@Override
	public String type() {
		return this.settings.type();
	}

	@Override
	public List<String> unsupportedParams(ChatRequest request) {
		return this.messages.unsupportedParams(request);
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
	 * their own override it. Called only when a key is configured, once for each kind of call (answer
	 * or stream) at its first: the headers are then reused, so they must not depend on the request.
	 * @param headers the request headers
	 * @param apiKey the key
	 */
	protected void authenticate(HttpHeaders headers, String apiKey) {
		headers.setBearerAuth(apiKey);
	}

	/**
	 * Adds the provider's own fixed headers (none by default). Called once for each kind of call
	 * (answer or stream) at its first: the headers are then reused, so they must not depend on the
	 * request.
	 * @param headers the request headers
	 */
	protected void addHeaders(HttpHeaders headers) {
	}

	@Override
	public Mono<ProviderResponse> chat(ProviderRequest request) {
		// singleOrEmpty, not next: the exchange ends with the body read, so the connection goes back to the pool.
		return Flux.defer(() -> post(request, false, (response) -> this.answers.read(response, this.mapping)))
			.singleOrEmpty()
			.onErrorMap(this.classify);
	}

	@Override
	public Flux<ProviderChunk> stream(ProviderRequest request) {
		return Flux.defer(() -> post(request, true, (response) -> this.streams.read(response,
				this.messages.decoder(request, name(), this.inStreamError), this.mapping)))
			.onErrorMap(this.classify);
	}

	/**
	 * Embeds with the format's embedding endpoint, through the same transport, limits and error
	 * classification as a chat call. Adapters whose provider has embeddings implement
	 * {@link dev.llmfallback.provider.EmbeddingProvider} with it.
	 * @param request the call
	 * @param uri the embedding endpoint
	 * @param mapping the format's {@code XxxEmbeddings}
	 * @return the vectors, or a classified error
	 */
	protected Mono<ProviderEmbeddings> embed(ProviderEmbeddingRequest request, URI uri, EmbeddingMapping mapping) {
		long expectedBytes = expectedEmbeddingBytes(request);
		return Flux.defer(() -> post(uri, () -> mapping.body(request), false,
				(response) -> this.answers.readVectors(response, (answer) -> mapping.response(name(), answer),
						expectedBytes)))
			.singleOrEmpty()
			.onErrorMap(this.classify);
	}

	/**
	 * How large an honest answer to an embedding call may be: its vectors as JSON text, at most 24
	 * bytes a number, plus room per vector. A batch of 1,000 vectors of 1,536 numbers is about 19 MB,
	 * beyond the default max-response-bytes, which bounds answers of unknown size (chat).
	 */
	static long expectedEmbeddingBytes(ProviderEmbeddingRequest request) {
		int dimensions = (request.dimensions() != null) ? request.dimensions() : LARGEST_USUAL_DIMENSIONS;
		return request.inputs().size() * (dimensions * 24L + 256) + 65_536;
	}

	/** The vector length assumed when a call names none: the largest of the catalogue's usual models. */
	private static final int LARGEST_USUAL_DIMENSIONS = 4096;

	private <T> Flux<T> post(ProviderRequest request, boolean stream, Function<HttpAnswer, Publisher<T>> reader) {
		return post(uri(request, stream), () -> this.messages.body(request, stream), stream, reader);
	}

	private <T> Flux<T> post(URI uri, Supplier<ObjectNode> json, boolean stream, Function<HttpAnswer, Publisher<T>> reader) {
		byte[] body;
		try {
			body = Json.MAPPER.writeValueAsBytes(json.get());
		}
		catch (LlmException ex) {
			// The mapping's own verdict (unsupported, bad arguments): already classified.
			throw ex;
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
		return this.http.post(uri, fixedHeaders(stream), body, reader);
	}

	private FixedRequestHeaders fixedHeaders(boolean stream) {
		FixedRequestHeaders headers = stream ? this.streamHeaders : this.answerHeaders;
		if (headers == null) {
			// Built at the first call, not in the constructor: the hooks are the subclass's. Two calls at
			// once may both build them; the sets are equal.
			headers = new FixedRequestHeaders(headers(stream));
			if (stream) {
				this.streamHeaders = headers;
			}
			else {
				this.answerHeaders = headers;
			}
		}
		return headers;
	}

	private HttpHeaders headers(boolean stream) {
		MediaType accept = !stream ? MediaType.APPLICATION_JSON
				: (this.framing == StreamFraming.SSE) ? MediaType.TEXT_EVENT_STREAM : MediaType.APPLICATION_NDJSON;
		HttpHeaders headers = new HttpHeaders();
		headers.setContentType(MediaType.APPLICATION_JSON);
		headers.setAccept(List.of(accept));
		if (this.settings.apiKey() != null) {
			authenticate(headers, this.settings.apiKey());
		}
		addHeaders(headers);
		// Configured headers come last, so they can replace any of ours.
		this.settings.headers().forEach(headers::set);
		return headers;
	}

	/** Releases this provider's connection pool. */
	@Override
	public void close() {
		this.http.close();
	}

}
