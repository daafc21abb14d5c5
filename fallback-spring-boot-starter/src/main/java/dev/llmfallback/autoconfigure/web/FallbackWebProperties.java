package dev.llmfallback.autoconfigure.web;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How failed LLM requests are answered over HTTP: by the problem details the starter contributes to
 * an application's own controllers, and by gateways that use {@link dev.llmfallback.web.FallbackErrorMapping}.
 */
@ConfigurationProperties("llm.fallback.web")
public class FallbackWebProperties {

	/**
	 * Longest wait advised in Retry-After and retry-after-ms when a request failed but a re-send can
	 * succeed (the time until the earliest model of the chain can be tried again, capped by this).
	 * The OpenAI SDKs wait at most 60 seconds.
	 */
	private Duration maxRetryAfter = Duration.ofSeconds(60);

	private final ProblemDetails problemDetails = new ProblemDetails();

	public Duration getMaxRetryAfter() {
		return this.maxRetryAfter;
	}

	public void setMaxRetryAfter(Duration maxRetryAfter) {
		this.maxRetryAfter = maxRetryAfter;
	}

	public ProblemDetails getProblemDetails() {
		return this.problemDetails;
	}

	/** Problem details for an application's own controllers. */
	public static class ProblemDetails {

		/**
		 * Whether a FallbackExhaustedException or LlmException reaching a Spring MVC or WebFlux
		 * controller is answered as an RFC 9457 problem detail (status per error category,
		 * Retry-After, x-should-retry, category and attempts) rather than a 500.
		 */
		private boolean enabled = true;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

	}

}
