package dev.llmfallback.provider.http;

import java.net.URI;

import dev.llmfallback.provider.ProviderSettings;
import io.netty.handler.codec.http.HttpHeaderValidationUtil;

/**
 * Refuses, when an adapter is created (so at start-up), the settings that HTTP cannot carry: a
 * base URL that is not an absolute http or https URL, a header name that is not a token, a header
 * value or key with a line break, a control character or leading whitespace. The messages never hold
 * a header value or key: they may be credentials.
 */
final class HttpSettingsChecks {

	private HttpSettingsChecks() {
	}

	/**
	 * @param settings the provider's settings
	 * @throws IllegalArgumentException naming the provider and what is wrong
	 */
	static void check(ProviderSettings settings) {
		checkBaseUrl(settings);
		if (settings.apiKey() != null) {
			checkValue(settings, "an api-key", settings.apiKey());
		}
		settings.headers().forEach((name, value) -> {
			int at = HttpHeaderValidationUtil.validateToken(name);
			if (name.isEmpty() || at != -1) {
				throw new IllegalArgumentException("Provider '" + settings.name() + "' has an invalid header name '"
						+ name + "'" + (name.isEmpty() ? "" : " (character " + at + " is not allowed)")
						+ "; a name is letters, digits and !#$%&'*+-.^_`|~");
			}
			checkValue(settings, "a value of header '" + name + "'", value);
		});
	}

	private static void checkBaseUrl(ProviderSettings settings) {
		if (settings.baseUrl() == null) {
			return;
		}
		URI uri;
		try {
			uri = URI.create(settings.baseUrl());
		}
		catch (IllegalArgumentException ex) {
			uri = null;
		}
		if (uri == null || uri.getHost() == null
				|| !("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()))) {
			throw new IllegalArgumentException("Provider '" + settings.name() + "' has an invalid base-url '"
					+ settings.baseUrl() + "'; expected an absolute http or https URL");
		}
	}

	private static void checkValue(ProviderSettings settings, String what, String value) {
		int at = HttpHeaderValidationUtil.validateValidHeaderValue(value);
		if (at != -1) {
			throw new IllegalArgumentException("Provider '" + settings.name() + "' has " + what
					+ " that HTTP cannot carry: character " + at
					+ " is a line break, a control character or leading whitespace");
		}
	}

}
