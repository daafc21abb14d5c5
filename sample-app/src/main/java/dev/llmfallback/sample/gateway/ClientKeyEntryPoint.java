package dev.llmfallback.sample.gateway;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.server.ServerAuthenticationEntryPoint;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

import dev.llmfallback.sample.openai.OpenAiErrorEnvelope;
import dev.llmfallback.web.FallbackErrorResponse;

/**
 * A missing or wrong client key: 401 in the endpoint's own error format (OpenAI's envelope with
 * {@code invalid_api_key} under {@code /v1}, a problem detail elsewhere), with
 * {@code x-should-retry: false} since no re-send with the same key can succeed. The key itself is
 * never echoed.
 */
final class ClientKeyEntryPoint implements ServerAuthenticationEntryPoint {

	static final String HOW = "send one of llm.gateway.client-keys as 'Authorization: Bearer <key>' or 'x-api-key: <key>'";

	private static final JsonMapper json = JsonMapper.builder().build();

	@Override
	public Mono<Void> commence(ServerWebExchange exchange, AuthenticationException failure) {
		boolean presented = exchange.getRequest().getHeaders().containsHeader(HttpHeaders.AUTHORIZATION)
				|| exchange.getRequest().getHeaders().containsHeader(ClientKeyAuthentication.API_KEY_HEADER);
		String message = (presented ? "Incorrect API key provided: " : "Missing API key: ") + HOW;
		ServerHttpResponse response = exchange.getResponse();
		response.setStatusCode(HttpStatus.UNAUTHORIZED);
		response.getHeaders().set(FallbackErrorResponse.SHOULD_RETRY, "false");
		response.getHeaders().set(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"llm-gateway\"");
		// The request's body is never read: close the connection after the answer. Kept alive, such a
		// connection now and then hung the client's next request on it (Reactor Netty 1.3.7,
		// reactor/reactor-netty#4188 and #4361).
		response.getHeaders().set(HttpHeaders.CONNECTION, "close");
		String path = exchange.getRequest().getPath().pathWithinApplication().value();
		Object body;
		if (path.equals("/v1") || path.startsWith("/v1/")) {
			response.getHeaders().setContentType(MediaType.APPLICATION_JSON);
			body = new OpenAiErrorEnvelope(
					new OpenAiErrorEnvelope.Error(message, "invalid_request_error", null, "invalid_api_key", null, null));
		}
		else {
			response.getHeaders().setContentType(MediaType.APPLICATION_PROBLEM_JSON);
			Map<String, Object> problem = new LinkedHashMap<>();
			problem.put("type", FallbackErrorResponse.PROBLEM_TYPE_BASE + "client_key");
			problem.put("title", "Unauthorized");
			problem.put("status", 401);
			problem.put("detail", message);
			problem.put("instance", path);
			problem.put("category", "authentication");
			problem.put("attempts", List.of());
			body = problem;
		}
		return response.writeWith(Mono.just(response.bufferFactory().wrap(json.writeValueAsBytes(body))));
	}

}
