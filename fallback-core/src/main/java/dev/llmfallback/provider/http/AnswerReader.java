package dev.llmfallback.provider.http;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;

import dev.llmfallback.ErrorCategory;
import dev.llmfallback.LlmException.ClassificationBasis;
import dev.llmfallback.LlmException;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;

/**
 * Reads a whole answer: bounded by max-response-bytes, decoded by its charset, parsed as JSON, an
 * error status or an error inside a 200 classified. Knows nothing of any wire format: the mapping
 * of a good answer is given to {@link #read}.
 */
final class AnswerReader {

	private final int maxBytes;

	private final ProviderFailures failures;

	AnswerReader(int maxBytes, ProviderFailures failures) {
		this.maxBytes = maxBytes;
		this.failures = failures;
	}

	/**
	 * Reads an answer and maps it, or fails with its classified error.
	 * @param response the response
	 * @param mapping the wire format's mapping of a good answer
	 * @return the mapped answer
	 */
	<T> Mono<T> read(HttpAnswer response, Function<JsonNode, T> mapping) {
		if (response.status() >= 300) {
			return error(response);
		}
		Charset charset = charset(response.headers());
		return joined(response, this.maxBytes, mapping,
				(buffer) -> StandardCharsets.UTF_8.equals(charset) ? bytesTree(buffer) : null, charset);
	}

	/**
	 * Joins a good answer's body and maps its JSON: from the given fast reading where it gives a
	 * tree, else from the body's text by {@link #parse}, which says what is wrong with it (blank,
	 * HTML, malformed).
	 */
	private <T> Mono<T> joined(HttpAnswer response, int bound, Function<JsonNode, T> mapping,
			Function<DataBuffer, @Nullable JsonNode> fast, Charset charset) {
		int status = response.status();
		HttpHeaders headers = response.headers();
		return DataBufferUtils.join(response.body(), bound)
			.map((buffer) -> {
				try {
					int start = buffer.readPosition();
					JsonNode node = fast.apply(buffer);
					if (node != null) {
						return mapping.apply(checked(status, headers, node));
					}
					buffer.readPosition(start);
					return mapping.apply(parse(status, headers, buffer.toString(charset)));
				}
				finally {
					DataBufferUtils.release(buffer);
				}
			})
			.switchIfEmpty(Mono.fromSupplier(() -> mapping.apply(parse(status, headers, ""))));
	}

	/**
	 * A JSON object or array parsed from the bytes as they are, without a string in between, or
	 * {@code null} for anything else.
	 */
	private static @Nullable JsonNode bytesTree(DataBuffer buffer) {
		if (!startsLikeJson(buffer)) {
			return null;
		}
		byte[] bytes = new byte[buffer.readableByteCount()];
		buffer.read(bytes);
		try {
			JsonNode node = Json.MAPPER.readTree(bytes);
			return (node != null && (node.isObject() || node.isArray())) ? node : null;
		}
		catch (JacksonException ex) {
			return null;
		}
	}

	private static boolean startsLikeJson(DataBuffer buffer) {
		for (int i = buffer.readPosition(); i < buffer.writePosition(); i++) {
			byte b = buffer.getByte(i);
			if (b != ' ' && b != '\t' && b != '\r' && b != '\n') {
				return b == '{' || b == '[';
			}
		}
		return false;
	}

	/**
	 * Reads an error answer and fails with its classification; a body too large to buffer is
	 * classified by its status alone.
	 * @param response the response, with a status of 300 or more
	 * @return a failed mono
	 */
	<T> Mono<T> error(HttpAnswer response) {
		int status = response.status();
		HttpHeaders headers = response.headers();
		return body(response).onErrorResume(DataBufferLimitException.class, (ex) -> Mono.just(""))
			.flatMap((body) -> Mono.error(this.failures.errorAnswer(status, headers, body)));
	}

	/**
	 * Reads a whole body, bounded by max-response-bytes.
	 * @param response the response
	 * @return the body's text, empty for none
	 */
	Mono<String> body(HttpAnswer response) {
		Charset charset = charset(response.headers());
		return DataBufferUtils.join(response.body(), this.maxBytes)
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

	/**
	 * Parses a good answer's body; an error inside it fails with its classification.
	 * @param status the HTTP status
	 * @param headers the response headers
	 * @param body the body
	 * @return the JSON
	 */
	JsonNode parse(int status, HttpHeaders headers, String body) {
		String provider = this.failures.provider();
		if (body.isBlank()) {
			throw TransportErrors.invalidResponse(provider, status, "HTTP " + status + " with an empty body");
		}
		if (ErrorBodies.looksLikeHtml(body)) {
			throw TransportErrors.invalidResponse(provider, status,
					"HTTP " + status + " with an HTML page instead of JSON: " + ErrorBodies.textMessage(body));
		}
		JsonNode node;
		try {
			node = Json.MAPPER.readTree(body);
		}
		catch (JacksonException ex) {
			throw LlmException.builder(ErrorCategory.INVALID_RESPONSE)
				.message(provider + ": HTTP " + status + " with malformed JSON: " + ErrorBodies.textMessage(body))
				.httpStatus(status)
				.basis(ClassificationBasis.BODY)
				.provider(provider)
				.cause(ex)
				.build();
		}
		return checked(status, headers, node);
	}

	/** A parsed good answer, unless it is no object or array, or carries an error. */
	private JsonNode checked(int status, HttpHeaders headers, @Nullable JsonNode node) {
		if (node == null || !node.isObject() && !node.isArray()) {
			throw TransportErrors.invalidResponse(this.failures.provider(), status,
					"HTTP " + status + " with a body that is not a JSON object");
		}
		if (ProviderFailures.carriesError(node)) {
			ProviderError error = ErrorBodies.fromJson(null, node);
			if (error != null) {
				throw this.failures.error(error, headers);
			}
		}
		return node;
	}

	/**
	 * Reads an embedding answer and maps it, decoding its vectors once, straight from the bytes
	 * into floats ({@link VectorTrees}); anything unusual (another charset, a body that does not
	 * parse) takes the ordinary path of {@link #read}, which classifies it.
	 * @param response the response
	 * @param mapping the wire format's mapping of a good answer
	 * @param expectedBytes how large the answer may honestly be (its vectors as JSON text); the
	 * bound is the larger of this and max-response-bytes
	 * @return the mapped answer
	 */
	<T> Mono<T> readVectors(HttpAnswer response, Function<JsonNode, T> mapping, long expectedBytes) {
		if (response.status() >= 300 || !StandardCharsets.UTF_8.equals(charset(response.headers()))) {
			return read(response, mapping);
		}
		int bound = (int) Math.min(Integer.MAX_VALUE - 8, Math.max(this.maxBytes, expectedBytes));
		return joined(response, bound, mapping, AnswerReader::vectorTree, StandardCharsets.UTF_8);
	}

	/** The answer read by {@link VectorTrees}, or {@code null} where it cannot read it. */
	private static @Nullable JsonNode vectorTree(DataBuffer buffer) {
		try (InputStream in = buffer.asInputStream()) {
			return VectorTrees.read(in);
		}
		catch (IOException | RuntimeException ex) {
			return null;
		}
	}

	/**
	 * The answer's content type, or {@code null} where it is missing or cannot be parsed (a
	 * malformed header or an unknown charset): the body decides then, read as UTF-8, and an error
	 * answer is still classified by its status.
	 */
	static @Nullable MediaType contentType(HttpHeaders headers) {
		try {
			return headers.getContentType();
		}
		catch (InvalidMediaTypeException ex) {
			return null;
		}
	}

	/** The answer's charset: the one its content type names, else UTF-8, JSON's own. */
	private static Charset charset(HttpHeaders headers) {
		String value = headers.getFirst(HttpHeaders.CONTENT_TYPE);
		if (value == null || value.indexOf(';') < 0) {
			// No parameters, so no charset: nothing to parse (the usual "application/json").
			return StandardCharsets.UTF_8;
		}
		MediaType contentType = contentType(headers);
		return (contentType != null && contentType.getCharset() != null) ? contentType.getCharset()
				: StandardCharsets.UTF_8;
	}

	static boolean isJson(MediaType contentType) {
		return contentType.isCompatibleWith(MediaType.APPLICATION_JSON)
				|| contentType.getSubtype().endsWith("+json");
	}

}
