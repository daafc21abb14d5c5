package dev.llmfallback.autoconfigure;

import org.springframework.web.reactive.function.client.WebClient;

/**
 * Customizes the {@link WebClient.Builder} of one configured provider before its adapter is
 * created: add filters, default headers, codecs or observation. The adapter sets its own pooled
 * client connector (keep-alive, timeouts, size limits) after the customizers ran.
 */
@FunctionalInterface
public interface ProviderWebClientCustomizer {

	/**
	 * @param provider the provider's configured name
	 * @param builder a builder used for this provider only
	 */
	void customize(String provider, WebClient.Builder builder);

}
