package dev.llmfallback.provider;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceLoader;

import org.jspecify.annotations.Nullable;

import org.springframework.web.reactive.function.client.WebClient;

/**
 * Creates the adapter for a configured provider from its {@code type}, through the
 * {@link ProviderFactory} registered for that type. Each adapter owns a connection pool; close it
 * ({@link AutoCloseable}) when the provider is no longer used.
 */
public final class ChatProviders {

	/** The registered factories by type, in registration order; read once. */
	private static final Map<String, ProviderFactory> FACTORIES = load(ChatProviders.class.getClassLoader());

	/**
	 * The provider types, as written in {@code llm.fallback.providers.<name>.type}, in registration
	 * order (the built-in ones first). The same as {@link #types()}.
	 */
	public static final List<String> TYPES = List.copyOf(FACTORIES.keySet());

	private ChatProviders() {
	}

	/** @return the provider types, in registration order */
	public static List<String> types() {
		return TYPES;
	}

	/**
	 * Creates the adapter for a provider.
	 * @param settings the provider's settings
	 * @param webClientBuilder the application's builder (cloned, never changed), whose
	 * {@code WebClient} then carries every call with its filters, default headers and observation; or
	 * {@code null} to call Reactor Netty's {@code HttpClient} directly, the leaner path
	 * @param rules the user's message patterns, or {@code null} for none
	 * @return the adapter
	 * @throws IllegalArgumentException for an unknown type (the message lists the valid ones) or
	 * settings the type cannot work with
	 */
	public static ChatProvider create(ProviderSettings settings, WebClient.@Nullable Builder webClientBuilder,
			@Nullable ClassificationRules rules) {
		ClassificationRules classification = (rules != null) ? rules : ClassificationRules.none();
		ProviderFactory factory = FACTORIES.get(settings.type().trim().toLowerCase(Locale.ROOT));
		if (factory == null) {
			throw new IllegalArgumentException("Unknown provider type '" + settings.type() + "' for provider '"
					+ settings.name() + "'; expected one of " + String.join(", ", TYPES));
		}
		return factory.create(settings, webClientBuilder, classification);
	}

	/**
	 * The factories a class loader registers, by type, in registration order.
	 * @throws IllegalStateException when two factories register one type
	 */
	static Map<String, ProviderFactory> load(@Nullable ClassLoader classLoader) {
		Map<String, ProviderFactory> factories = new LinkedHashMap<>();
		for (ProviderFactory factory : ServiceLoader.load(ProviderFactory.class, classLoader)) {
			ProviderFactory previous = factories.putIfAbsent(factory.type(), factory);
			if (previous != null) {
				throw new IllegalStateException("Provider type '" + factory.type() + "' is registered twice: by "
						+ previous.getClass().getName() + " and " + factory.getClass().getName());
			}
		}
		return Collections.unmodifiableMap(factories);
	}

}
