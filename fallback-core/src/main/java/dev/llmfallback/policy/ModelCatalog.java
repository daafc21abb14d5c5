package dev.llmfallback.policy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * Known models: the context window and capabilities of each, so that a model's
 * {@code max-input-tokens} and {@code capabilities} need not be configured by hand. The built-in
 * table is the resource {@value #RESOURCE}; a model's own settings always win over it.
 *
 * <p>A lookup matches the provider's model id exactly, ignoring case and any path before the last
 * {@code /} ({@code models/gemini-2.5-pro}, {@code openai/gpt-4o}), or as a dated snapshot or alias
 * of a known id: the known id followed by dates, version numbers of three or more digits,
 * {@code latest} or {@code v2} ({@code gpt-4o-2024-08-06}, {@code gpt-4-0613},
 * {@code claude-3-5-haiku-latest}, {@code claude-3-5-sonnet-v2@20241022}). Nothing else is guessed:
 * {@code gpt-4o-mnii} and {@code claude-sonnet-4-6} are unknown, not taken for {@code gpt-4o} or
 * {@code claude-sonnet-4}.
 */
public final class ModelCatalog {

	static final String RESOURCE = "dev/llmfallback/policy/model-catalog.properties";

	/** What may follow a known id in one of its snapshots or aliases. */
	private static final Pattern SNAPSHOT = Pattern
		.compile("(?:[-@_:](?:\\d{4}-\\d{2}-\\d{2}|\\d{2}-\\d{4}|\\d{3,8}|latest|v\\d+(?::\\d+)?))+");

	private static final ModelCatalog BUILT_IN = load();

	private final Map<String, Entry> entries;

	private ModelCatalog(Map<String, Entry> entries) {
		this.entries = Collections.unmodifiableMap(entries);
	}

	/** @return the catalogue shipped with the library */
	public static ModelCatalog builtIn() {
		return BUILT_IN;
	}

	/**
	 * A catalogue of the given context windows only, each model taken to have every capability
	 * (for tests and custom tables).
	 * @param windows model id to input tokens
	 * @return the catalogue
	 */
	public static ModelCatalog of(Map<String, Integer> windows) {
		Map<String, Entry> entries = new LinkedHashMap<>();
		windows.forEach((id, tokens) -> entries.put(normalize(id), new Entry(tokens, EnumSet.allOf(Capability.class), 0)));
		return new ModelCatalog(entries);
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
		Map<String, Entry> entries = new LinkedHashMap<>();
		properties.stringPropertyNames()
			.stream()
			.sorted()
			.forEach((id) -> entries.put(normalize(id), Entry.parse(id, properties.getProperty(id))));
		return new ModelCatalog(entries);
	}

	/**
	 * The input context window of a model.
	 * @param modelId the id sent to the provider
	 * @return the most input tokens, or empty for a model the catalogue does not know
	 */
	public OptionalInt maxInputTokens(@Nullable String modelId) {
		Entry entry = find(modelId);
		return (entry != null) ? OptionalInt.of(entry.maxInputTokens) : OptionalInt.empty();
	}

	/**
	 * What a model can serve beyond text chat. A model the catalogue does not know is taken to have
	 * every capability: a provider's own refusal is then classified {@code unsupported}.
	 * @param modelId the id sent to the provider
	 * @return the model's capabilities
	 */
	public Set<Capability> capabilities(@Nullable String modelId) {
		Entry entry = find(modelId);
		return (entry != null) ? entry.capabilities : Collections.unmodifiableSet(EnumSet.allOf(Capability.class));
	}

	/**
	 * How many numbers an embedding model's vectors have by default.
	 * @param modelId the id sent to the provider
	 * @return the vector length, or empty for a model the catalogue does not know as an embedding model
	 */
	public OptionalInt dimensions(@Nullable String modelId) {
		Entry entry = find(modelId);
		return (entry != null && entry.dimensions > 0) ? OptionalInt.of(entry.dimensions) : OptionalInt.empty();
	}

	/**
	 * Whether the catalogue knows a model id, exactly or as a snapshot of a known id.
	 * @param modelId the id sent to the provider
	 * @return whether it is known
	 */
	public boolean knows(@Nullable String modelId) {
		return find(modelId) != null;
	}

	/**
	 * The known id an unknown one most likely means, to suggest as {@code base-model}: a known id a
	 * typo away ({@code gpt-4o-mnii}), else the longest known id it contains
	 * ({@code prod-gpt-4o-mini-eu} means {@code gpt-4o-mini}).
	 * @param modelId an id
	 * @return the likely known id, or empty when none is likely
	 */
	public Optional<String> nearest(String modelId) {
		String id = normalize(modelId);
		Optional<String> typo = Suggestions.nearest(id, this.entries.keySet());
		if (typo.isPresent()) {
			return typo;
		}
		String contained = null;
		for (String known : this.entries.keySet()) {
			if (id.contains(known) && (contained == null || known.length() > contained.length())) {
				contained = known;
			}
		}
		return Optional.ofNullable(contained);
	}

	/**
	 * A model definition completed from the catalogue: the context window and capabilities that
	 * it does not set itself are taken from the catalogue's row for its
	 * {@link ModelDefinition#catalogId() base model or model id}, where the catalogue knows it.
	 * @param model the model as configured
	 * @return the model with what the catalogue knows of it
	 * @throws FallbackConfigurationException when the model names a {@code base-model} the catalogue
	 * does not know
	 */
	public ModelDefinition complete(ModelDefinition model) {
		String baseModel = model.baseModel();
		if (baseModel != null && !knows(baseModel)) {
			String suggestion = nearest(baseModel).map((id) -> "Did you mean '" + id + "'? ").orElse("");
			throw new FallbackConfigurationException("models." + model.name() + ".base-model",
					"names '" + baseModel + "', which the built-in catalogue does not know",
					suggestion + "Set it to a model id the catalogue knows (such as gpt-4o or claude-sonnet-4-5), or "
							+ "remove it and set max-input-tokens (and capabilities) yourself");
		}
		Entry entry = find(model.catalogId());
		if (entry == null) {
			return model;
		}
		return model.toBuilder()
			.maxInputTokens((model.maxInputTokens() != null) ? model.maxInputTokens() : entry.maxInputTokens)
			.capabilities((model.capabilities() != null) ? model.capabilities() : entry.capabilities)
			.build();
	}

	private @Nullable Entry find(@Nullable String modelId) {
		if (modelId == null || modelId.isBlank()) {
			return null;
		}
		String id = normalize(modelId);
		Entry exact = this.entries.get(id);
		if (exact != null) {
			return exact;
		}
		// The longest known id that the rest of the id extends as a snapshot.
		for (int i = id.length() - 1; i > 0; i--) {
			char c = id.charAt(i);
			if ((c == '-' || c == '@' || c == '_' || c == ':') && this.entries.containsKey(id.substring(0, i))
					&& SNAPSHOT.matcher(id.substring(i)).matches()) {
				return this.entries.get(id.substring(0, i));
			}
		}
		return null;
	}

	private static String normalize(String id) {
		String trimmed = id.trim().toLowerCase(Locale.ROOT);
		int slash = trimmed.lastIndexOf('/');
		return (slash >= 0) ? trimmed.substring(slash + 1) : trimmed;
	}

	/** One row of the table. */
	private record Entry(int maxInputTokens, Set<Capability> capabilities, int dimensions) {

		Entry {
			capabilities = Collections.unmodifiableSet(capabilities.isEmpty() ? EnumSet.noneOf(Capability.class)
					: EnumSet.copyOf(capabilities));
		}

		static Entry parse(String id, String value) {
			String[] columns = value.split("\\|", -1);
			Set<Capability> capabilities = EnumSet.noneOf(Capability.class);
			if (columns.length > 1) {
				for (String capability : columns[1].split(",")) {
					if (!capability.isBlank()) {
						capabilities.add(Capability.fromId(capability));
					}
				}
			}
			else {
				capabilities = EnumSet.allOf(Capability.class);
			}
			try {
				int dimensions = 0;
				if (columns.length > 2) {
					String column = columns[2].trim();
					if (!column.startsWith("dimensions ")) {
						throw new NumberFormatException(column);
					}
					dimensions = Integer.parseInt(column.substring("dimensions ".length()).trim());
				}
				return new Entry(Integer.parseInt(columns[0].trim()), capabilities, dimensions);
			}
			catch (NumberFormatException ex) {
				throw new IllegalStateException("Invalid row '" + id + "' in " + RESOURCE, ex);
			}
		}

	}

}
