package dev.llmfallback.sample;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.springframework.core.codec.DecodingException;
import org.springframework.core.codec.Hints;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.http.ReactiveHttpInputMessage;
import org.springframework.http.codec.HttpMessageReader;
import org.springframework.http.codec.ServerCodecConfigurer;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.reactive.function.BodyExtractor;
import org.springframework.web.reactive.function.BodyExtractors;
import org.springframework.web.reactive.function.UnsupportedMediaTypeException;
import org.springframework.web.server.ContentTooLargeException;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.ServerWebInputException;
import org.springframework.web.server.UnsupportedMediaTypeStatusException;
import reactor.core.publisher.Mono;

/**
 * Reads a request body for a plain {@code WebHandler} as an annotated {@code @RequestBody} reads it:
 * with the application's codecs (their size limit included), and a body that cannot be read fails
 * as a 415 (a content type no reader takes), a 400 (JSON that does not decode) or a 413 (beyond the
 * codecs' limit).
 */
final class RequestBodies<T> {

	private final List<HttpMessageReader<?>> readers;

	/** Built once: it resolves the body's type, which a per-request extractor would redo each time. */
	private final BodyExtractor<Mono<T>, ReactiveHttpInputMessage> extractor;

	/**
	 * @param codecs the application's codecs
	 * @param type what to read the bodies as
	 */
	RequestBodies(ServerCodecConfigurer codecs, Class<T> type) {
		this.readers = codecs.getReaders();
		this.extractor = BodyExtractors.toMono(type);
	}

	/**
	 * @param exchange the exchange whose body to read
	 * @return the body, empty for none
	 */
	Mono<T> read(ServerWebExchange exchange) {
		return this.extractor.extract(exchange.getRequest(), context(exchange)).onErrorMap(RequestBodies::unreadable);
	}

	/** What a functional endpoint's {@code ServerRequest} hands the readers. */
	private BodyExtractor.Context context(ServerWebExchange exchange) {
		return new BodyExtractor.Context() {
			@Override
			public List<HttpMessageReader<?>> messageReaders() {
				return RequestBodies.this.readers;
			}

			@Override
			public Optional<ServerHttpResponse> serverResponse() {
				return Optional.of(exchange.getResponse());
			}

			@Override
			public Map<String, Object> hints() {
				return Hints.from(Hints.LOG_PREFIX_HINT, exchange.getLogPrefix());
			}
		};
	}

	private static Throwable unreadable(Throwable failure) {
		if (failure instanceof UnsupportedMediaTypeException unsupported) {
			return (unsupported.getContentType() != null)
					? new UnsupportedMediaTypeStatusException(unsupported.getContentType(),
							unsupported.getSupportedMediaTypes(), unsupported.getBodyType())
					: new UnsupportedMediaTypeStatusException(unsupported.getMessage(),
							unsupported.getSupportedMediaTypes());
		}
		if (failure instanceof DecodingException undecodable) {
			return new ServerWebInputException("Failed to read HTTP message", null, undecodable);
		}
		if (failure instanceof DataBufferLimitException tooLarge) {
			return new ContentTooLargeException(tooLarge);
		}
		return failure;
	}

}
