package dev.llmfallback.benchmarks.engine;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;

import okhttp3.Interceptor;
import okhttp3.MediaType;
import okhttp3.Protocol;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.Buffer;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferFactory;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ResponseCookie;
import org.springframework.http.client.reactive.AbstractClientHttpRequest;
import org.springframework.http.client.reactive.ClientHttpConnector;
import org.springframework.http.client.reactive.ClientHttpRequest;
import org.springframework.http.client.reactive.ClientHttpResponse;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;

/**
 * Transports that never touch the network, for measuring the client stacks on their own: the same
 * canned chat completion (the one {@code BenchUpstream} sends) answered at the bottom of WebClient
 * (a {@link ClientHttpConnector}) and at the bottom of OkHttp (an application {@link Interceptor}).
 * Both still write the request body, so request serialisation is part of what is measured.
 */
final class StubTransports {

	/** The completion {@code BenchUpstream} answers with: the same bytes, so every stack parses the same reply. */
	static final String COMPLETION = "{\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion\",\"created\":1767225600,"
			+ "\"model\":\"bench\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":"
			+ "\"Hello from the bench upstream.\"},\"finish_reason\":\"stop\"}],"
			+ "\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":7,\"total_tokens\":19}}";

	static final byte[] COMPLETION_BYTES = COMPLETION.getBytes(StandardCharsets.UTF_8);

	private static final MediaType JSON = MediaType.get("application/json");

	private StubTransports() {
	}

	/** @return a WebClient connector that reads the request body and answers 200 with the completion */
	static ClientHttpConnector webClientConnector() {
		return new StubConnector();
	}

	/** @return an OkHttp interceptor that reads the request body and answers 200 with the completion */
	static Interceptor okHttpInterceptor() {
		return (chain) -> {
			okhttp3.Request request = chain.request();
			if (request.body() != null) {
				// Writing the body is where the SDK serialises the request: keep it in the measured work.
				Buffer sink = new Buffer();
				request.body().writeTo(sink);
				sink.clear();
			}
			return new Response.Builder().request(request)
				.protocol(Protocol.HTTP_1_1)
				.code(200)
				.message("OK")
				.header("content-type", "application/json")
				.body(ResponseBody.create(COMPLETION_BYTES, JSON))
				.build();
		};
	}

	private static final class StubConnector implements ClientHttpConnector {

		@Override
		public Mono<ClientHttpResponse> connect(HttpMethod method, URI uri,
				Function<? super ClientHttpRequest, Mono<Void>> requestCallback) {
			StubRequest request = new StubRequest(method, uri);
			return requestCallback.apply(request).then(Mono.fromSupplier(StubResponse::new));
		}

	}

	private static final class StubRequest extends AbstractClientHttpRequest {

		private final HttpMethod method;

		private final URI uri;

		StubRequest(HttpMethod method, URI uri) {
			this.method = method;
			this.uri = uri;
		}

		@Override
		public HttpMethod getMethod() {
			return this.method;
		}

		@Override
		public URI getURI() {
			return this.uri;
		}

		@Override
		public DataBufferFactory bufferFactory() {
			return DefaultDataBufferFactory.sharedInstance;
		}

		@Override
		public <T> T getNativeRequest() {
			throw new UnsupportedOperationException("no native request: nothing goes on the network");
		}

		@Override
		public Mono<Void> writeWith(Publisher<? extends DataBuffer> body) {
			return doCommit(() -> Flux.from(body).doOnNext(DataBufferUtils::release).then());
		}

		@Override
		public Mono<Void> writeAndFlushWith(Publisher<? extends Publisher<? extends DataBuffer>> body) {
			return writeWith(Flux.from(body).flatMap(Flux::from));
		}

		@Override
		public Mono<Void> setComplete() {
			return doCommit();
		}

		@Override
		protected void applyHeaders() {
		}

		@Override
		protected void applyCookies() {
		}

	}

	private static final class StubResponse implements ClientHttpResponse {

		private final HttpHeaders headers = new HttpHeaders();

		StubResponse() {
			this.headers.set(HttpHeaders.CONTENT_TYPE, "application/json");
			this.headers.setContentLength(COMPLETION_BYTES.length);
		}

		@Override
		public HttpStatusCode getStatusCode() {
			return HttpStatusCode.valueOf(200);
		}

		@Override
		public MultiValueMap<String, ResponseCookie> getCookies() {
			return new LinkedMultiValueMap<>();
		}

		@Override
		public HttpHeaders getHeaders() {
			return this.headers;
		}

		@Override
		public Flux<DataBuffer> getBody() {
			return Flux.just(DefaultDataBufferFactory.sharedInstance.wrap(COMPLETION_BYTES));
		}

	}

}
