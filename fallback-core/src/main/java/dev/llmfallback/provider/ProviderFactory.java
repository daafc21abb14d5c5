package dev.llmfallback.provider;

import java.util.Objects;

import org.jspecify.annotations.Nullable;

import org.springframework.web.reactive.function.client.WebClient;

/**
 * The single registration of a wire format: a provider type and how to create its adapter.
 * Factories are found with {@link java.util.ServiceLoader} (a line in
 * {@code META-INF/services/dev.llmfallback.provider.ProviderFactory}), so a new wire format is one
 * package plus that line, and {@link ChatProviders} knows no adapter by name.
 *
 * <p>A subclass must be public with a public no-argument constructor, as {@code ServiceLoader}
 * requires: {@code public OllamaProviderFactory() { super("ollama", OllamaChatProvider::new); }}.
 */
public abstract class ProviderFactory {

	private final String type;

	private final Constructor constructor;

	/**
	 * A factory of one type.
	 * @param type the type, as written in {@code llm.fallback.providers.<name>.type}: lower case,
	 * unique
	 * @param constructor creates the adapter
	 */
	protected ProviderFactory(String type, Constructor constructor) {
		this.type = Objects.requireNonNull(type, "type");
		this.constructor = Objects.requireNonNull(constructor, "constructor");
	}

	/** @return the type */
	public final String type() {
		return this.type;
	}

	/**
	 * Creates the adapter of one configured provider.
	 * @param settings the provider's settings (of this type)
	 * @param webClientBuilder the application's builder (cloned, never changed), or {@code null} to call Reactor Netty directly
	 * @param rules the user's message patterns ({@link ClassificationRules#none()} for none)
	 * @return the adapter; one that holds resources implements {@link AutoCloseable}
	 * @throws IllegalArgumentException for settings the type cannot work with
	 */
	public final ChatProvider create(ProviderSettings settings, WebClient.@Nullable Builder webClientBuilder,
			ClassificationRules rules) {
		return this.constructor.create(settings, webClientBuilder, rules);
	}

	/** How an adapter is made: usually its constructor, as a method reference. */
	@FunctionalInterface
	public interface Constructor {

		/**
		 * Creates the adapter.
		 * @param settings the provider's settings
		 * @param webClientBuilder the application's builder, or {@code null} to call Reactor Netty directly
		 * @param rules the user's message patterns
		 * @return the adapter
		 */
		ChatProvider create(ProviderSettings settings, WebClient.@Nullable Builder webClientBuilder,
				ClassificationRules rules);

	}

}
