package dev.llmfallback.policy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Properties;
import java.util.TreeMap;

/**
 * Context-window sizes of known models, so that a model's {@code max-input-tokens} need not be
 * configured by hand. The built-in table is the resource {@value #RESOURCE}; a model's own
 * {@code max-input-tokens} always wins over it.
 *
 * <p>A lookup matches the provider's model id exactly, or else the longest known id that the id
 * extends after {@code -}, {@code :}, {@code @} or {@code _} ({@code gpt-4o-2024-08-06} matches
 * {@code gpt-4o}; {@code gpt-4.5} does not match {@code gpt-4}). Any path before the last
 * {@code /} is ignored ({@code models/gemini-2.5-pro}, {@code openai/gpt-4o}).
 */
public final class ModelCatalog {

	static final String RESOURCE = "dev/llmfallback/policy/model-context-windows.properties";

	private static final ModelCatalog BUILT_IN = load();

	private final Map<String, Integer> windows;

	private ModelCatalog(Map<String, Integer> windows) {
		this.windows = windows;
	}

	/** @return the catalogue shipped with the library */
	public static ModelCatalog builtIn() {
		return BUILT_IN;
	}

	/**
	 * A catalogue of the given entries only (for tests and custom tables).
	 * @param windows model id to input tokens
	 * @return the catalogue
	 */
	public static ModelCatalog of(Map<String, Integer> windows) {
		Map<String, Integer> normalized = new TreeMap<>();
		windows.forEach((id, tokens) -> normalized.put(normalize(id), tokens));
		return new ModelCatalog(normalized);
	}

	private static ModelCatalog load() {
		Properties properties = new Properties();
		try (InputStream in = ModelCatalog.class.getClassLoader().getResourceAsStream(RESOURCE)) {
			if (in == null) {
				throw new IllegalStateException("Missing resource " + RESOURCE);
			}
			properties.load(in);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot read " + RESOURCE, ex);
		}
		Map<String, Integer> windows = new TreeMap<>();
		properties.forEach((id, tokens) -> windows.put(normalize((String) id), Integer.valueOf(((String) tokens).trim())));
		return new ModelCatalog(windows);
	}

	/**
	 * The input context window of a model.
	 * @param modelId the id sent to the provider
	 * @return the most input tokens, or empty for an unknown model
	 */
	public OptionalInt maxInputTokens(String modelId) {
		if (modelId == null) {
			return OptionalInt.empty();
		}
		String id = normalize(modelId);
		for (String candidate = id; !candidate.isEmpty(); candidate = shorten(candidate)) {
			Integer tokens = this.windows.get(candidate);
			if (tokens != null) {
				return OptionalInt.of(tokens);
			}
		}
		return OptionalInt.empty();
	}

	/**
	 * What a model can serve beyond text chat. Until the catalogue lists capabilities, every model
	 * is taken to have all of them: a provider's own refusal is then classified {@code unsupported}.
	 * @param modelId the id sent to the provider
	 * @return the model's capabilities
	 */
	public java.util.Set<Capability> capabilities(String modelId) {
		return java.util.EnumSet.allOf(Capability.class);
	}

	/** Drops the last segment after a boundary character, so lookups try ever shorter prefixes. */
	private static String shorten(String id) {
		for (int i = id.length() - 1; i > 0; i--) {
			char c = id.charAt(i);
			if (c == '-' || c == ':' || c == '@' || c == '_') {
				return id.substring(0, i);
			}
		}
		return "";
	}

	private static String normalize(String id) {
		String trimmed = id.trim().toLowerCase(Locale.ROOT);
		int slash = trimmed.lastIndexOf('/');
		return (slash >= 0) ? trimmed.substring(slash + 1) : trimmed;
	}

}
