package dev.llmfallback.sample.gateway;

import java.util.List;

import org.springframework.http.HttpHeaders;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.ReactiveAuthenticationManager;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.server.authentication.ServerAuthenticationConverter;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Reads a client key from {@code Authorization: Bearer <key>} or {@code x-api-key: <key>}, and
 * checks it against the configured keys. An authenticated client is named by the position of its
 * key ({@code client-1}, ...), never by the key.
 */
final class ClientKeyAuthentication implements ServerAuthenticationConverter, ReactiveAuthenticationManager {

	static final String API_KEY_HEADER = "x-api-key";

	private static final String BEARER = "bearer ";

	private final ClientKeys keys;

	ClientKeyAuthentication(ClientKeys keys) {
		this.keys = keys;
	}

	@Override
	public Mono<Authentication> convert(ServerWebExchange exchange) {
		HttpHeaders headers = exchange.getRequest().getHeaders();
		String authorization = headers.getFirst(HttpHeaders.AUTHORIZATION);
		String key = null;
		if (authorization != null && authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
			key = authorization.substring(BEARER.length()).trim();
		}
		else if (headers.getFirst(API_KEY_HEADER) != null) {
			key = headers.getFirst(API_KEY_HEADER).trim();
		}
		else if (authorization != null) {
			key = ""; // another scheme: presented, and wrong
		}
		return (key != null) ? Mono.just(UsernamePasswordAuthenticationToken.unauthenticated("client", key))
				: Mono.empty();
	}

	@Override
	public Mono<Authentication> authenticate(Authentication authentication) {
		Object credentials = authentication.getCredentials();
		int index = (credentials instanceof String key) ? this.keys.match(key) : -1;
		if (index < 0) {
			return Mono.error(new BadCredentialsException("Incorrect client key"));
		}
		return Mono.just(UsernamePasswordAuthenticationToken.authenticated("client-" + (index + 1), null, List.of()));
	}

}
