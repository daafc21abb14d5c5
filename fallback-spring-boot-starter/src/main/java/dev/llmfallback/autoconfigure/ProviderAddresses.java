package dev.llmfallback.autoconfigure;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * Whether a provider's base URL is on this machine or a private network, where servers (a local
 * Ollama, vLLM, LM Studio) take no API key. Decided from the URL alone, never by a DNS lookup:
 * loopback, private, link-local and unique-local IP addresses, {@code localhost}, single-label host
 * names (Docker and Kubernetes service names such as {@code http://ollama:11434}) and the
 * {@code .local}, {@code .internal}, {@code .lan} and {@code .home.arpa} domains.
 */
final class ProviderAddresses {

	/** The one built-in type whose documented default base URL is local. */
	private static final String OLLAMA_DEFAULT_BASE_URL = "http://localhost:11434";

	private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

	private ProviderAddresses() {
	}

	/**
	 * @param type the provider's type
	 * @param baseUrl its configured base URL, or {@code null} for the type's default
	 * @return whether calls go to a loopback or private address
	 */
	static boolean isLocal(String type, @Nullable String baseUrl) {
		String url = (baseUrl != null) ? baseUrl : ("ollama".equals(type) ? OLLAMA_DEFAULT_BASE_URL : null);
		return url != null && isLocal(url);
	}

	static boolean isLocal(String url) {
		String host;
		try {
			host = URI.create(url.trim()).getHost();
		}
		catch (IllegalArgumentException ex) {
			return false;
		}
		if (host == null || host.isEmpty()) {
			return false;
		}
		host = host.toLowerCase(Locale.ROOT);
		if (host.startsWith("[") || IPV4.matcher(host).matches()) {
			return isLocalAddress(host.replace("[", "").replace("]", ""));
		}
		return host.equals("localhost") || host.endsWith(".localhost") || !host.contains(".")
				|| host.endsWith(".local") || host.endsWith(".internal") || host.endsWith(".lan")
				|| host.endsWith(".home.arpa");
	}

	private static boolean isLocalAddress(String literal) {
		try {
			// A literal address: no lookup is made.
			InetAddress address = InetAddress.getByName(literal);
			byte[] bytes = address.getAddress();
			boolean uniqueLocal = bytes.length == 16 && (bytes[0] & 0xfe) == 0xfc;
			return address.isLoopbackAddress() || address.isSiteLocalAddress() || address.isLinkLocalAddress()
					|| address.isAnyLocalAddress() || uniqueLocal;
		}
		catch (UnknownHostException ex) {
			return false;
		}
	}

}
