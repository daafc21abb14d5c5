package dev.llmfallback.autoconfigure;

import org.springframework.web.reactive.function.client.WebClient;

/**
 * Customizes the {@link WebClient.Builder} of one configured provider before its adapter is
 * created: add filters, default headers, codecs or observation. The adapter sets its own pooled
 * client connector (keep-alive, timeouts, size limits) after the customizers ran.
 * <p>
 * Providers call through a {@code WebClient} only where the application configures one: a bean of
 * this type, or a {@code WebClient.Builder} bean (Spring Boot's, with its observation and
 * {@code WebClientCustomizer}s). Without either they call Reactor Netty's {@code HttpClient}
 * directly, the same request on the wire at less CPU per call.
 */
@FunctionalInterface
public interface ProviderWebClientCustomizer {

	/**
	 * @param provider the provider's configured name
	 * @param builder a builder used for this provider only
	 */
	void customize(String provider, WebClient.Builder builder);

}
