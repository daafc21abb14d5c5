package dev.llmfallback.provider.http;

import reactor.core.publisher.Flux;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpHeaders;

/**
 * A provider's HTTP answer as the readers need it, whichever transport brought it
 * ({@link ProviderHttpClient}): its status, its headers and its body, which the reader must
 * subscribe to once (each buffer is released by whoever consumes it).
 *
 * @param status the HTTP status code
 * @param headers the response headers
 * @param body the body's buffers
 */
record HttpAnswer(int status, HttpHeaders headers, Flux<DataBuffer> body) {
}
