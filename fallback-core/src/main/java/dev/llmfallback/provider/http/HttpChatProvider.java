package dev.llmfallback.provider.http;

import java.net.URI;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import dev.llmfallback.ErrorCategory;
import dev.llmfallback.LlmException;
import dev.llmfallback.LlmException.ClassificationBasis;
import dev.llmfallback.provider.ChatProvider;
import dev.llmfallback.provider.ClassificationRules;
import dev.llmfallback.provider.ProviderChunk;
import dev.llmfallback.provider.ProviderRequest;
import dev.llmfallback.provider.ProviderResponse;
import dev.llmfallback.provider.ProviderSettings;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.BodyExtractors;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Base of the HTTP adapters: sends the request, reads the answer with bounded memory, and turns
 * every failure into a classified {@link LlmException}. Subclasses say only what differs per
 * wire protocol: URIs, headers, request body, answer mapping and stream decoding.
 *
 * <p>Both calls are lazy, never retry, and cancel the HTTP exchange when their subscriber cancels.
 * API keys go only into headers and are redacted from every exception message.
 */
public abstract class HttpChatProvider implements ChatProvider, AutoCloseable {

	private static final String DONE = "[DONE]";

	/** How long the rest of a body is read after a stream's terminal marker before it is cut off. */
	private static final Duration AFTER_TERMINAL_MARKER = Duration.ofMillis(250);

	/** Header values shorter than this (e.g. "beta", "1") are not redacted: they are no secret. */
	private static final int MIN_REDACTED_HEADER = 8;

	private final ProviderSettings settings;

	private final ProviderHttpClient http;

	private final ErrorClassifier classifier;

	protected HttpChatProvider(ProviderSettings settings, WebClient.Builder webClientBuilder, ClassificationRules rules) {
		this(settings, webClientBuilder, rules, Clock.systemUTC());
	}

	protected HttpChatProvider(ProviderSettings settings, WebClient.Builder webClientBuilder, ClassificationRules rules,
			Clock clock) {
		this.settings = Objects.requireNonNull(settings, "settings");
		checkBaseUrl(settings);
		this.http = ProviderHttpClient.create(settings, webClientBuilder);
		this.classifier = new ErrorClassifier(rules, clock, providerStatuses());
	}

	/**
	 * Non-standard HTTP statuses of this provider and what they mean. Called once, from the
	 * constructor: return a constant.
	 * @return the statuses (empty by default)
	 */
	protected Map<Integer, ErrorCategory> providerStatuses() {
		return Map.of();
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

	/**
	 * The base URL, or the type's default when none is configured.
	 * @return the base URL without a trailing slash
	 */
	protected String baseUrl() {
		return (this.settings.baseUrl() != null) ? this.settings.baseUrl() : defaultBaseUrl();
	}

	/** @return the provider's documented base URL */
	protected abstract String defaultBaseUrl();

	/**
	 * The URI to post to.
	 * @param request the call
	 * @param stream whether the answer is streamed
	 * @return the URI
	 */
	protected abstract URI uri(ProviderRequest request, boolean stream);

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

	/** @return how streamed answers are framed */
	protected StreamFraming framing() {
		return StreamFraming.SSE;
	}

	@Override
	public Mono<ProviderResponse> chat(ProviderRequest request) {
		return Mono.defer(() -> post(request, false).exchangeToMono(this::readAnswer))
			.onErrorMap(this::classifyFailure);
	}

	@Override
	public Flux<ProviderChunk> stream(ProviderRequest request) {
		return Flux.defer(() -> post(request, true).exchangeToFlux((response) -> readStream(request, response)))
			.onErrorMap(this::classifyFailure);
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
				: (framing() == StreamFraming.SSE) ? MediaType.TEXT_EVENT_STREAM : MediaType.APPLICATION_NDJSON;
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

	private Mono<ProviderResponse> readAnswer(ClientResponse response) {
		int status = response.statusCode().value();
		HttpHeaders headers = response.headers().asHttpHeaders();
		if (status >= 300) {
			return readErrorBody(response).map((body) -> {
				throw error(status, headers, body);
			});
		}
		return readBody(response).map((body) -> response(parseAnswer(status, headers, body)));
	}

	private Flux<ProviderChunk> readStream(ProviderRequest request, ClientResponse response) {
		int status = response.statusCode().value();
		HttpHeaders headers = response.headers().asHttpHeaders();
		if (status >= 300) {
			return readErrorBody(response).flatMapMany((body) -> Flux.error(error(status, headers, body)));
		}
		MediaType contentType = contentType(headers);
		if (framing() == StreamFraming.SSE && contentType != null && (isJson(contentType)
				|| contentType.isCompatibleWith(MediaType.TEXT_HTML))) {
			// Not a stream: an error in a 200, a proxy page, or a server that ignored "stream".
			return readBody(response).flatMapMany((body) -> Flux.fromIterable(asChunks(response(parseAnswer(status, headers, body)))));
		}
		StreamDecoder decoder = streamDecoder(request);
		Flux<DataBuffer> body = response.body(BodyExtractors.toDataBuffers());
		Sinks.Empty<Void> terminated = Sinks.empty();
		return framing().events(body, this.http.maxResponseBytes()).<ProviderChunk>handle((event, sink) -> {
			String data = event.data().strip();
			if (data.isEmpty() || decoder.isComplete()) {
				return;
			}
			if (DONE.equals(data)) {
				decoder.onDoneMarker();
			}
			else {
				JsonNode node = parseEvent(status, data);
				LlmException error = streamError(event.event(), node);
				if (error != null) {
					sink.error(error);
					return;
				}
				decoder.onEvent(event.event(), node, sink::next);
			}
			if (decoder.isComplete()) {
				terminated.tryEmitEmpty();
			}
		})
			// After the terminal marker the body normally ends at once: reading it to its end lets the
			// connection go back to the pool (cancelling would close it, and the next stream would pay a
			// new connection, a TLS handshake on a real provider). A peer that keeps the body open after
			// the marker is cut off after a short grace.
			.takeUntilOther(terminated.asMono().then(Mono.delay(AFTER_TERMINAL_MARKER)))
			.concatWith(Mono.defer(() -> {
				if (!decoder.isComplete()) {
					return Mono.error(TransportErrors.invalidResponse(name(), status,
							"the stream ended without its terminal marker (truncated answer)"));
				}
				return Mono.justOrEmpty(decoder.finish());
			}));
	}

	/**
	 * The answer's content type, or {@code null} where it is missing or cannot be parsed (a
	 * malformed header or an unknown charset): the body decides then, read as UTF-8, and an error
	 * answer is still classified by its status.
	 */
	private static MediaType contentType(HttpHeaders headers) {
		try {
			return headers.getContentType();
		}
		catch (InvalidMediaTypeException ex) {
			return null;
		}
	}

	private static boolean isJson(MediaType contentType) {
		return contentType.isCompatibleWith(MediaType.APPLICATION_JSON)
				|| contentType.getSubtype().endsWith("+json");
	}

	private static List<ProviderChunk> asChunks(ProviderResponse response) {
		ProviderChunk text = new ProviderChunk(response.content(), null, response.providerModel(), null);
		ProviderChunk last = new ProviderChunk("", response.finishReason(), response.providerModel(), response.usage());
		return text.delta().isEmpty() ? List.of(last) : List.of(text, last);
	}

	/**
	 * Reads an error answer's body; one too large to buffer is classified by its status alone.
	 */
	private Mono<String> readErrorBody(ClientResponse response) {
		return readBody(response).onErrorResume(DataBufferLimitException.class, (ex) -> Mono.just(""));
	}

	/**
	 * Reads a whole body, bounded by max-response-bytes.
	 */
	private Mono<String> readBody(ClientResponse response) {
		MediaType contentType = contentType(response.headers().asHttpHeaders());
		Charset charset = (contentType != null && contentType.getCharset() != null) ? contentType.getCharset()
				: StandardCharsets.UTF_8;
		return DataBufferUtils.join(response.body(BodyExtractors.toDataBuffers()), this.http.maxResponseBytes())
			.map((buffer) -> {
				try {
					return buffer.toString(charset);
				}
				finally {
					DataBufferUtils.release(buffer);
				}
			})
			.defaultIfEmpty("");
	}

	private JsonNode parseAnswer(int status, HttpHeaders headers, String body) {
		if (body.isBlank()) {
			throw TransportErrors.invalidResponse(name(), status, "HTTP " + status + " with an empty body");
		}
		if (ErrorBodies.looksLikeHtml(body)) {
			throw TransportErrors.invalidResponse(name(), status,
					"HTTP " + status + " with an HTML page instead of JSON: " + ErrorBodies.textMessage(body));
		}
		JsonNode node;
		try {
			node = Json.MAPPER.readTree(body);
		}
		catch (JacksonException ex) {
			throw LlmException.builder(ErrorCategory.INVALID_RESPONSE)
				.message(name() + ": HTTP " + status + " with malformed JSON: " + ErrorBodies.textMessage(body))
				.httpStatus(status)
				.basis(ClassificationBasis.BODY)
				.provider(name())
				.cause(ex)
				.build();
		}
		if (node == null || !node.isObject() && !node.isArray()) {
			throw TransportErrors.invalidResponse(name(), status, "HTTP " + status + " with a body that is not a JSON object");
		}
		if (carriesError(node)) {
			ProviderError error = ErrorBodies.fromJson(null, node);
			if (error != null) {
				throw this.classifier.classify(name(), error, headers);
			}
		}
		return node;
	}

	private JsonNode parseEvent(int status, String data) {
		try {
			return Json.MAPPER.readTree(data);
		}
		catch (JacksonException ex) {
			throw LlmException.builder(ErrorCategory.INVALID_RESPONSE)
				.message(name() + ": malformed stream event: " + ErrorBodies.textMessage(data))
				.httpStatus(status)
				.basis(ClassificationBasis.BODY)
				.provider(name())
				.cause(ex)
				.build();
		}
	}

	private LlmException streamError(String event, JsonNode node) {
		if (!"error".equals(event) && !carriesError(node)) {
			return null;
		}
		ProviderError error = ErrorBodies.fromJson(null, node);
		if (error == null) {
			error = new ProviderError(null, ErrorBodies.textMessage(node.toString()), List.of(), null, false);
		}
		return this.classifier.classify(name(), error, null);
	}

	/**
	 * Whether a JSON answer or event is an error: an {@code error} member, or
	 * {@code "type"/"object": "error"}.
	 * @param node the JSON
	 * @return {@code true} for an error
	 */
	protected static boolean carriesError(JsonNode node) {
		if (node.isArray()) {
			return node.size() > 0 && carriesError(node.get(0));
		}
		JsonNode error = node.get("error");
		return (error != null && !error.isNull() && !(error.isString() && error.stringValue().isEmpty()))
				|| "error".equals(Json.text(node.get("type"))) || "error".equals(Json.text(node.get("object")));
	}

	/**
	 * Classifies an error answer.
	 * @param status the HTTP status
	 * @param headers the response headers
	 * @param body the body
	 * @return the exception (not thrown)
	 */
	protected LlmException error(int status, HttpHeaders headers, String body) {
		return this.classifier.classify(name(), ErrorBodies.read(status, body), headers);
	}

	/**
	 * Classifies an error found inside an answer or a stream event.
	 * @param error the error
	 * @return the exception (not thrown)
	 */
	protected LlmException error(ProviderError error) {
		return this.classifier.classify(name(), error, null);
	}

	/**
	 * An answer the provider refused on safety grounds.
	 * @param reason what the provider said
	 * @return the exception (not thrown)
	 */
	protected LlmException contentBlocked(String reason) {
		return LlmException.builder(ErrorCategory.CONTENT_POLICY)
			.message(name() + ": the answer was blocked: " + reason)
			.httpStatus(200)
			.errorCode(reason)
			.basis(ClassificationBasis.BODY)
			.provider(name())
			.build();
	}

	/**
	 * An answer that is not usable.
	 * @param message what is wrong
	 * @return the exception (not thrown)
	 */
	protected LlmException invalid(String message) {
		return TransportErrors.invalidResponse(name(), 200, message);
	}

	private Throwable classifyFailure(Throwable failure) {
		LlmException classified = TransportErrors.classify(name(), failure);
		return redact(classified);
	}

	/**
	 * Removes the API key, and the values of configured headers (which may carry credentials too),
	 * from the message: some servers echo what they were sent in their error messages.
	 */
	private LlmException redact(LlmException exception) {
		String message = exception.getMessage();
		if (message == null) {
			return exception;
		}
		String redacted = redact(message, this.settings.apiKey(), 1);
		for (String value : this.settings.headers().values()) {
			redacted = redact(redacted, value, MIN_REDACTED_HEADER);
		}
		return redacted.equals(message) ? exception : exception.toBuilder().message(redacted).build();
	}

	private static String redact(String message, String secret, int minLength) {
		return (secret != null && secret.length() >= minLength) ? message.replace(secret, "[redacted]") : message;
	}

	/** Releases this provider's connection pool. */
	@Override
	public void close() {
		this.http.close();
	}

	/**
	 * Puts the request's extra parameters into a body, the way most protocols want them: at the
	 * top level, overriding mapped fields.
	 * @param body the body
	 * @param request the call
	 */
	protected static void putExtra(ObjectNode body, ProviderRequest request) {
		request.request().extra().forEach((key, value) -> body.set(key, Json.tree(value)));
	}

}
