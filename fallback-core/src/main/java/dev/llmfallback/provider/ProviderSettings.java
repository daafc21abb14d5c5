package dev.llmfallback.provider;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * The configuration of one provider (one entry under {@code llm.fallback.providers}): what
 * {@link ChatProviders#create} needs to build its adapter. Immutable; build one with
 * {@link #builder(String, String)}.
 *
 * <p>{@link #toString()} never shows the API key.
 */
public final class ProviderSettings {

	/** Default connect timeout. */
	public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);

	/** Default bound of a buffered answer and of one line of a stream: 8 MiB. */
	public static final int DEFAULT_MAX_RESPONSE_BYTES = 8 * 1024 * 1024;

	/** Default size of the connection pool. */
	public static final int DEFAULT_MAX_CONNECTIONS = 100;

	private final String name;

	private final String type;

	private final @Nullable String baseUrl;

	private final @Nullable String apiKey;

	private final @Nullable String apiVersion;

	private final Map<String, String> headers;

	private final Duration connectTimeout;

	private final @Nullable Duration readTimeout;

	private final int maxResponseBytes;

	private final int maxConnections;

	private ProviderSettings(Builder builder) {
		this.name = builder.name;
		this.type = builder.type;
		this.baseUrl = builder.baseUrl;
		this.apiKey = builder.apiKey;
		this.apiVersion = builder.apiVersion;
		this.headers = Collections.unmodifiableMap(new LinkedHashMap<>(builder.headers));
		this.connectTimeout = builder.connectTimeout;
		this.readTimeout = builder.readTimeout;
		this.maxResponseBytes = builder.maxResponseBytes;
		this.maxConnections = builder.maxConnections;
	}

	/**
	 * A builder for a provider's settings.
	 * @param name the configured name (the key under {@code llm.fallback.providers})
	 * @param type the provider type, e.g. {@code openai} (see {@link ChatProviders#TYPES})
	 * @return the builder
	 */
	public static Builder builder(String name, String type) {
		return new Builder(name, type);
	}

	/** @return the configured name */
	public String name() {
		return this.name;
	}

	/** @return the provider type ({@code openai}, {@code anthropic}, ...) */
	public String type() {
		return this.type;
	}

	/** @return the base URL without a trailing slash, or {@code null} for the type's default */
	public @Nullable String baseUrl() {
		return this.baseUrl;
	}

	/** @return the API key, or {@code null} where the provider needs none */
	public @Nullable String apiKey() {
		return this.apiKey;
	}

	/** @return the API version (Azure OpenAI's {@code api-version}), or {@code null} */
	public @Nullable String apiVersion() {
		return this.apiVersion;
	}

	/** @return extra headers sent with every call */
	public Map<String, String> headers() {
		return this.headers;
	}

	/** @return the TCP connect timeout */
	public Duration connectTimeout() {
		return this.connectTimeout;
	}

	/**
	 * The longest silence allowed while reading an answer (between two network reads), or
	 * {@code null} for none. The engine owns per-attempt timeouts; this one only guards
	 * against peers that stop talking.
	 * @return the read timeout, or {@code null}
	 */
	public @Nullable Duration readTimeout() {
		return this.readTimeout;
	}

	/** @return the most bytes buffered for one answer, and for one line of a stream */
	public int maxResponseBytes() {
		return this.maxResponseBytes;
	}

	/** @return the size of the connection pool */
	public int maxConnections() {
		return this.maxConnections;
	}

	/**
	 * A builder holding these settings, to derive a changed copy.
	 * @return the builder
	 */
	public Builder toBuilder() {
		Builder builder = new Builder(this.name, this.type).baseUrl(this.baseUrl)
			.apiKey(this.apiKey)
			.apiVersion(this.apiVersion)
			.headers(this.headers)
			.connectTimeout(this.connectTimeout)
			.readTimeout(this.readTimeout)
			.maxResponseBytes(this.maxResponseBytes)
			.maxConnections(this.maxConnections);
		return builder;
	}

	@Override
	public String toString() {
		// The key stays out: only whether one is set.
		return "ProviderSettings[name=" + this.name + ", type=" + this.type + ", baseUrl=" + this.baseUrl
				+ ", apiKey=" + ((this.apiKey != null && !this.apiKey.isEmpty()) ? "(set)" : "(none)")
				+ ", apiVersion=" + this.apiVersion + ", headers=" + this.headers.keySet() + ", connectTimeout="
				+ this.connectTimeout + ", readTimeout=" + this.readTimeout + ", maxResponseBytes="
				+ this.maxResponseBytes + ", maxConnections=" + this.maxConnections + "]";
	}

	/** Builds {@link ProviderSettings}. Not thread-safe. */
	public static final class Builder {

		private final String name;

		private final String type;

		private @Nullable String baseUrl;

		private @Nullable String apiKey;

		private @Nullable String apiVersion;

		private final Map<String, String> headers = new LinkedHashMap<>();

		private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;

		private @Nullable Duration readTimeout;

		private int maxResponseBytes = DEFAULT_MAX_RESPONSE_BYTES;

		private int maxConnections = DEFAULT_MAX_CONNECTIONS;

		private Builder(String name, String type) {
			this.name = Objects.requireNonNull(name, "name");
			this.type = Objects.requireNonNull(type, "type");
		}

		public Builder baseUrl(@Nullable String baseUrl) {
			String url = (baseUrl != null) ? baseUrl.trim() : null;
			while (url != null && url.endsWith("/")) {
				url = url.substring(0, url.length() - 1);
			}
			this.baseUrl = (url == null || url.isEmpty()) ? null : url;
			return this;
		}

		public Builder apiKey(@Nullable String apiKey) {
			this.apiKey = (apiKey != null && !apiKey.isBlank()) ? apiKey.trim() : null;
			return this;
		}

		public Builder apiVersion(@Nullable String apiVersion) {
			this.apiVersion = (apiVersion != null && !apiVersion.isBlank()) ? apiVersion.trim() : null;
			return this;
		}

		public Builder header(String name, String value) {
			this.headers.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
			return this;
		}

		public Builder headers(Map<String, String> headers) {
			if (headers != null) {
				headers.forEach(this::header);
			}
			return this;
		}

		public Builder connectTimeout(@Nullable Duration connectTimeout) {
			this.connectTimeout = (connectTimeout != null) ? positive(connectTimeout, "connectTimeout")
					: DEFAULT_CONNECT_TIMEOUT;
			return this;
		}

		public Builder readTimeout(@Nullable Duration readTimeout) {
			this.readTimeout = (readTimeout != null) ? positive(readTimeout, "readTimeout") : null;
			return this;
		}

		public Builder maxResponseBytes(int maxResponseBytes) {
			if (maxResponseBytes <= 0) {
				throw new IllegalArgumentException("maxResponseBytes must be > 0, was " + maxResponseBytes);
			}
			this.maxResponseBytes = maxResponseBytes;
			return this;
		}

		public Builder maxConnections(int maxConnections) {
			if (maxConnections <= 0) {
				throw new IllegalArgumentException("maxConnections must be > 0, was " + maxConnections);
			}
			this.maxConnections = maxConnections;
			return this;
		}

		private static Duration positive(Duration value, String name) {
			if (value.isNegative() || value.isZero()) {
				throw new IllegalArgumentException(name + " must be positive, was " + value);
			}
			return value;
		}

		public ProviderSettings build() {
			return new ProviderSettings(this);
		}

	}

}
