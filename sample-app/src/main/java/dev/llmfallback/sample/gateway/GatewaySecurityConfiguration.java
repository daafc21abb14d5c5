package dev.llmfallback.sample.gateway;

import org.springframework.beans.factory.InitializingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.web.server.SecurityWebFiltersOrder;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.WebFilterChainProxy;
import org.springframework.security.web.server.authentication.AuthenticationWebFilter;
import org.springframework.security.web.server.authentication.ServerAuthenticationEntryPointFailureHandler;
import org.springframework.security.web.server.context.NoOpServerSecurityContextRepository;
import org.springframework.security.web.server.firewall.ServerWebExchangeFirewall;
import org.springframework.security.web.server.savedrequest.NoOpServerRequestCache;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatcher;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatchers;

/**
 * Who may call the gateway, with Spring Security's WebFlux support. With client keys configured,
 * {@code /v1/**}, {@code /chat}, {@code /chat/**} and the actuator's write operations (a cooldown
 * reset) need one; health, metrics and the other read-only endpoints stay as Boot exposes them, and
 * so does the live page. Without keys everything is open, which {@link GatewayAccessCheck} allows
 * only when every provider is on loopback or {@code llm.gateway.open} is set. Stateless: no session,
 * no CSRF token (no cookie authenticates anything), no login page.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(GatewayProperties.class)
class GatewaySecurityConfiguration {

	private static final String[] GATEWAY_PATHS = { "/v1", "/v1/**", "/chat", "/chat/**" };

	/** Where a client key is needed: the gateway's endpoints and the actuator's write operations. */
	private static final ServerWebExchangeMatcher PROTECTED = ServerWebExchangeMatchers.matchers(
			ServerWebExchangeMatchers.pathMatchers(GATEWAY_PATHS),
			ServerWebExchangeMatchers.pathMatchers(HttpMethod.POST, "/actuator/**"),
			ServerWebExchangeMatchers.pathMatchers(HttpMethod.PUT, "/actuator/**"),
			ServerWebExchangeMatchers.pathMatchers(HttpMethod.DELETE, "/actuator/**"));

	@Bean
	GatewayAccessCheck gatewayAccessCheck(GatewayProperties properties, Environment environment) {
		GatewayAccessCheck check = new GatewayAccessCheck(properties, environment);
		check.verify();
		return check;
	}

	@Bean
	ClientKeyAuthentication clientKeyAuthentication(GatewayProperties properties) {
		return new ClientKeyAuthentication(new ClientKeys(properties.getClientKeys()));
	}

	/**
	 * An open gateway protects nothing, so Security's proxy filter is made as cheap as it can be: no
	 * firewall (which re-checked every header the application read against patterns, 13 % of the
	 * gateway's allocations in an async-profiler profile under load) and no observation of its
	 * filter chains. A keyed gateway keeps both.
	 */
	@Bean
	InitializingBean openGatewayFilterChainProxy(WebFilterChainProxy proxy, GatewayProperties properties) {
		return () -> {
			if (new ClientKeys(properties.getClientKeys()).isEmpty()) {
				proxy.setFirewall(ServerWebExchangeFirewall.INSECURE_NOOP);
				proxy.setFilterChainDecorator(new WebFilterChainProxy.DefaultWebFilterChainDecorator());
			}
		};
	}

	@Bean
	SecurityWebFilterChain gatewaySecurity(ServerHttpSecurity http, GatewayProperties properties,
			ClientKeyAuthentication clients) {
		ClientKeyEntryPoint entryPoint = new ClientKeyEntryPoint();
		boolean keyed = !new ClientKeys(properties.getClientKeys()).isEmpty();
		// The chain runs only where a key is asked for: an open gateway, and every other path of a keyed
		// one, skip Security's filters altogether (run on every exchange of an open gateway, they raised
		// its added p50 at one request in flight from +573 to +838 us in the gateway benchmark).
		http.securityMatcher(keyed ? PROTECTED : (exchange) -> ServerWebExchangeMatcher.MatchResult.notMatch());
		if (keyed) {
			// Keys are read where they are needed only: a scraper's own token on /actuator/prometheus
			// is none of the gateway's business.
			AuthenticationWebFilter authentication = new AuthenticationWebFilter(clients);
			authentication.setServerAuthenticationConverter(clients);
			authentication.setRequiresAuthenticationMatcher(PROTECTED);
			authentication.setAuthenticationFailureHandler(new ServerAuthenticationEntryPointFailureHandler(entryPoint));
			authentication.setSecurityContextRepository(NoOpServerSecurityContextRepository.getInstance());
			http.addFilterAt(authentication, SecurityWebFiltersOrder.AUTHENTICATION);
		}
		return http.csrf(ServerHttpSecurity.CsrfSpec::disable)
			.httpBasic(ServerHttpSecurity.HttpBasicSpec::disable)
			.formLogin(ServerHttpSecurity.FormLoginSpec::disable)
			.logout(ServerHttpSecurity.LogoutSpec::disable)
			.requestCache((cache) -> cache.requestCache(NoOpServerRequestCache.getInstance()))
			.securityContextRepository(NoOpServerSecurityContextRepository.getInstance())
			.exceptionHandling((exceptions) -> exceptions.authenticationEntryPoint(entryPoint))
			.authorizeExchange((exchanges) -> exchanges.anyExchange().authenticated())
			.build();
	}

}
