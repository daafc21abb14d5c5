package dev.llmfallback.autoconfigure;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.beans.factory.DisposableBean;

import dev.llmfallback.provider.ChatProvider;
import dev.llmfallback.provider.ProviderSettings;

/**
 * The providers the engine calls: one adapter per provider configured under
 * {@code llm.fallback.providers}, unless the application contributes a {@link ChatProvider} bean of
 * the same name, plus every other {@code ChatProvider} bean. Closes the adapters it created (and
 * their connection pools) when the context closes.
 */
public final class ConfiguredProviders implements DisposableBean {

	private static final Log logger = LogFactory.getLog(ConfiguredProviders.class);

	private final Map<String, ChatProvider> providers;

	private final Map<String, ProviderSettings> settings;

	ConfiguredProviders(Map<String, ChatProvider> providers, Map<String, ProviderSettings> settings) {
		this.providers = Collections.unmodifiableMap(new LinkedHashMap<>(providers));
		this.settings = Collections.unmodifiableMap(new LinkedHashMap<>(settings));
	}

	/** @return every provider by name */
	public Map<String, ChatProvider> providers() {
		return this.providers;
	}

	/** @return the settings of the providers created from properties (not of user beans) */
	public Map<String, ProviderSettings> settings() {
		return this.settings;
	}

	Collection<ChatProvider> all() {
		return this.providers.values();
	}

	@Override
	public void destroy() {
		this.settings.keySet().forEach((name) -> {
			if (this.providers.get(name) instanceof AutoCloseable closeable) {
				try {
					closeable.close();
				}
				catch (Exception ex) {
					logger.debug("Closing provider '" + name + "' failed", ex);
				}
			}
		});
	}

}
