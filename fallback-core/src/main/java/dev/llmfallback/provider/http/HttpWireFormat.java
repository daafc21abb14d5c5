package dev.llmfallback.provider.http;

import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * What an HTTP adapter tells the template about its wire format: the mapping, the format's own
 * error rules, the stream framing, and where requests go when the endpoint is fixed.
 *
 * <p>Public: each adapter, in its own package, declares one.
 *
 * @param mapping the format's {@code XxxMessages}
 * @param errors the format's {@code XxxErrors} rules
 * @param framing how streamed answers are framed
 * @param defaultBaseUrl the provider's documented base URL, or {@code null} where one must be
 * configured
 * @param path the endpoint's path below the base URL, or {@code null} where the adapter computes
 * the URI per request ({@link HttpChatProvider#uri})
 */
public record HttpWireFormat(ChatMapping mapping, ErrorRules errors, StreamFraming framing,
		@Nullable String defaultBaseUrl, @Nullable String path) {

	public HttpWireFormat {
		Objects.requireNonNull(mapping, "mapping");
		Objects.requireNonNull(errors, "errors");
		Objects.requireNonNull(framing, "framing");
	}

	/**
	 * A format streamed as Server-Sent Events.
	 * @param mapping the format's {@code XxxMessages}
	 * @param errors the format's {@code XxxErrors} rules
	 * @param defaultBaseUrl the documented base URL, or {@code null}
	 * @param path the endpoint's path, or {@code null}
	 */
	public HttpWireFormat(ChatMapping mapping, ErrorRules errors, @Nullable String defaultBaseUrl, @Nullable String path) {
		this(mapping, errors, StreamFraming.SSE, defaultBaseUrl, path);
	}

}
