package dev.llmfallback.sample.gateway;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;

/**
 * At start-up: a gateway that relays to a provider off this machine (any provider whose base URL is
 * not loopback) must have client keys, unless {@code llm.gateway.open: true} says the operator wants
 * it open (then one warning). The simulated providers are on loopback, so the default needs no setup.
 */
final class GatewayAccessCheck {

	private static final Log logger = LogFactory.getLog(GatewayAccessCheck.class);

	/** A provider as configured: its type and base URL (the type's default where not set). */
	record Upstream(@Nullable String type, @Nullable String baseUrl) {
	}

	private final GatewayProperties properties;

	private final Environment environment;

	GatewayAccessCheck(GatewayProperties properties, Environment environment) {
		this.properties = properties;
		this.environment = environment;
	}

	void verify() {
		if (!new ClientKeys(this.properties.getClientKeys()).isEmpty()) {
			return;
		}
		Map<String, String> remote = remoteProviders();
		if (remote.isEmpty()) {
			return;
		}
		String named = remote.entrySet()
			.stream()
			.map((entry) -> entry.getKey() + " (" + entry.getValue() + ")")
			.reduce((a, b) -> a + ", " + b)
			.orElse("");
		if (this.properties.isOpen()) {
			logger.warn("The gateway is open (llm.gateway.open=true): anyone who reaches it spends the keys of "
					+ named + "; set llm.gateway.client-keys to require a key");
			return;
		}
		throw new GatewayNotProtectedException(named);
	}

	/** Providers whose base URL is not loopback, by name, with the host. */
	private Map<String, String> remoteProviders() {
		Map<String, Upstream> providers = Binder.get(this.environment)
			.bind("llm.fallback.providers", Bindable.mapOf(String.class, Upstream.class))
			.orElse(Map.of());
		Map<String, String> remote = new LinkedHashMap<>();
		providers.forEach((name, upstream) -> {
			String host = host(upstream);
			if (host == null || !isLoopback(host)) {
				remote.put(name, (host != null) ? host : "the type's default host");
			}
		});
		return remote;
	}

	private static @Nullable String host(Upstream upstream) {
		String url = upstream.baseUrl();
		if (url == null || url.isBlank()) {
			// Of the types' default base URLs, only Ollama's is on this machine.
			return "ollama".equalsIgnoreCase(upstream.type()) ? "localhost" : null;
		}
		try {
			return URI.create(url.trim()).getHost();
		}
		catch (IllegalArgumentException ex) {
			return null;
		}
	}

	static boolean isLoopback(String host) {
		String name = host.toLowerCase(Locale.ROOT);
		if (name.startsWith("[") && name.endsWith("]")) {
			name = name.substring(1, name.length() - 1);
		}
		return name.equals("localhost") || name.endsWith(".localhost") || name.startsWith("127.") || name.equals("::1")
				|| name.equals("0:0:0:0:0:0:0:1");
	}

}
