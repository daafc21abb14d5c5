package dev.llmfallback.provider.http;

import java.time.Duration;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * What a provider said about a failure, read from an error body or an in-stream error event,
 * before classification.
 *
 * <p>Public because a format's stream decoder may report one it finds inside an event
 * ({@link ChatMapping#decoder}).
 *
 * @param status the HTTP status, or the status the body names for an error inside a 200 (e.g. an
 * OpenRouter or Gemini error object's numeric {@code code}), or {@code null}
 * @param message the provider's message, a proxy page's title, or {@code null}
 * @param codes the provider's code and type fields, most specific first (e.g. Azure's
 * {@code innererror.code}, then {@code code}, then {@code type})
 * @param retryAfter a wait the body asked for (Gemini's {@code RetryInfo.retryDelay}), or {@code null}
 * @param structured whether the body was a JSON error object (not an HTML page, text or nothing)
 */
public record ProviderError(@Nullable Integer status, @Nullable String message, List<String> codes,
		@Nullable Duration retryAfter, boolean structured) {

	public ProviderError {
		codes = (codes != null) ? List.copyOf(codes) : List.of();
	}

	/**
	 * A copy with another status.
	 * @param status the status
	 * @return the copy
	 */
	public ProviderError withStatus(@Nullable Integer status) {
		return new ProviderError(status, this.message, this.codes, this.retryAfter, this.structured);
	}

}
