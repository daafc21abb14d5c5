package dev.llmfallback.autoconfigure;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import dev.llmfallback.ErrorCategory;
import dev.llmfallback.policy.Capability;
import dev.llmfallback.provider.ChatProviders;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The configuration metadata an IDE reads to complete and explain {@code llm.fallback.*}, as built
 * into the jar: {@code META-INF/spring-configuration-metadata.json} (the processor's output merged
 * with the additional metadata) and, for the value types of the maps that users fill
 * ({@code providers.*}, {@code models.*}, {@code policies.*}), the per-type metadata under
 * {@code META-INF/spring/configuration-metadata/} that the main file's types name.
 */
class ConfigurationMetadataTests {

	/** Every property of DESIGN's configuration block (and the ones its text adds), as users write them. */
	private static final List<String> DESIGN_PROPERTIES = List.of("llm.fallback.default-policy",
			"llm.fallback.providers.openai.type", "llm.fallback.providers.openai.base-url",
			"llm.fallback.providers.openai.api-key", "llm.fallback.providers.azure.api-version",
			"llm.fallback.models.gpt-4o-mini.provider", "llm.fallback.models.gpt-4o-mini.model",
			"llm.fallback.models.gpt-4o-mini.max-input-tokens", "llm.fallback.models.gpt-4o-mini.timeout",
			"llm.fallback.models.azure-chat.base-model", "llm.fallback.models.gpt-4o-mini.capabilities",
			"llm.fallback.policies.chat.models", "llm.fallback.policies.chat.context-window-fallbacks",
			"llm.fallback.policies.chat.content-policy-fallbacks", "llm.fallback.policies.chat.retry.max-retries",
			"llm.fallback.policies.chat.retry.initial-backoff", "llm.fallback.policies.chat.retry.multiplier",
			"llm.fallback.policies.chat.retry.max-backoff", "llm.fallback.policies.chat.retry.jitter",
			"llm.fallback.policies.chat.retry.max-retry-after", "llm.fallback.policies.chat.timeout",
			"llm.fallback.policies.chat.deadline", "llm.fallback.policies.chat.max-attempts",
			"llm.fallback.policies.chat.first-token-timeout", "llm.fallback.policies.chat.idle-timeout",
			"llm.fallback.policies.chat.cooldown.failures", "llm.fallback.policies.chat.cooldown.window",
			"llm.fallback.policies.chat.cooldown.duration", "llm.fallback.policies.chat.retry-on",
			"llm.fallback.policies.chat.fallback-on", "llm.fallback.policies.chat.drop-unsupported-params",
			"llm.fallback.classification");

	private static final Pattern MAP_OF = Pattern.compile("java\\.util\\.Map<java\\.lang\\.String,(.+)>");

	private static Path built() throws Exception {
		return Path.of(LlmFallbackProperties.class.getProtectionDomain().getCodeSource().getLocation().toURI());
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> read(Path file) throws IOException {
		assertThat(file).as("built metadata").exists();
		return JsonMapper.builder().build().readValue(file.toFile(), Map.class);
	}

	private static Map<String, Object> metadata() throws Exception {
		return read(built().resolve("META-INF/spring-configuration-metadata.json"));
	}

	private static Map<String, Object> typeMetadata(String type) throws Exception {
		return read(built().resolve("META-INF/spring/configuration-metadata/" + type + ".json"));
	}

	@SuppressWarnings("unchecked")
	private static List<Map<String, Object>> list(Map<String, Object> metadata, String key) {
		return (List<Map<String, Object>>) metadata.getOrDefault(key, List.of());
	}

	/**
	 * The metadata entry that documents a property as a user writes it: the main file's entry, or,
	 * below a map of a documented type, that type's entry for the rest of the name.
	 */
	private static Map<String, Object> entryFor(String property) throws Exception {
		for (Map<String, Object> entry : list(metadata(), "properties")) {
			String name = (String) entry.get("name");
			if (property.equals(name)) {
				return entry;
			}
			Matcher map = MAP_OF.matcher((String) entry.get("type"));
			if (property.startsWith(name + ".") && map.matches()) {
				String key = property.substring(name.length() + 1);
				String rest = key.substring(key.indexOf('.') + 1);
				for (Map<String, Object> nested : list(typeMetadata(map.group(1)), "properties")) {
					if (rest.equals(nested.get("name"))) {
						assertThat(nested.get("sourceType")).as(property + " source type").isNotNull();
						return nested;
					}
				}
			}
		}
		throw new AssertionError("no metadata for " + property);
	}

	@Test
	void everyPropertyOfTheDesignHasADescription() throws Exception {
		List<String> undocumented = new ArrayList<>();
		for (String property : DESIGN_PROPERTIES) {
			Object description = entryFor(property).get("description");
			if (!(description instanceof String text) || text.isBlank()) {
				undocumented.add(property);
			}
		}
		assertThat(undocumented).as("properties without a description").isEmpty();
	}

	@Test
	void everyPropertyHasADescription() throws Exception {
		List<Map<String, Object>> properties = new ArrayList<>(list(metadata(), "properties"));
		for (String type : List.of("Provider", "Model", "Policy", "Retry", "Cooldown")) {
			properties.addAll(list(typeMetadata("dev.llmfallback.autoconfigure.LlmFallbackProperties$" + type),
					"properties"));
		}
		assertThat(properties).extracting((property) -> property.get("name"))
			.contains("llm.fallback.providers", "llm.fallback.models", "llm.fallback.policies",
					"llm.fallback.default-policy", "llm.fallback.health.strict", "llm.fallback.classification");
		assertThat(properties).allSatisfy((property) -> assertThat((String) property.get("description"))
			.as(property.get("name") + " description")
			.isNotBlank());
	}

	@Test
	void classificationKeysAreHintedWithEveryCategory() throws Exception {
		assertThat(hintValues(metadata(), "llm.fallback.classification.keys")).containsExactlyInAnyOrderElementsOf(
				Arrays.stream(ErrorCategory.values()).map(ErrorCategory::id).toList());
	}

	@Test
	void retryOnAndFallbackOnAreHintedWithEveryCategory() throws Exception {
		Map<String, Object> policy = typeMetadata("dev.llmfallback.autoconfigure.LlmFallbackProperties$Policy");
		List<String> categories = Arrays.stream(ErrorCategory.values()).map(ErrorCategory::id).toList();
		assertThat(hintValues(policy, "retry-on")).containsExactlyInAnyOrderElementsOf(categories);
		assertThat(hintValues(policy, "fallback-on")).containsExactlyInAnyOrderElementsOf(categories);
	}

	@Test
	void providerTypesAreHintedAsTheAdaptersNameThem() throws Exception {
		assertThat(hintValues(typeMetadata("dev.llmfallback.autoconfigure.LlmFallbackProperties$Provider"), "type"))
			.containsExactlyElementsOf(ChatProviders.TYPES);
	}

	@Test
	void capabilitiesAreHinted() throws Exception {
		assertThat(hintValues(typeMetadata("dev.llmfallback.autoconfigure.LlmFallbackProperties$Model"), "capabilities"))
			.containsExactlyInAnyOrderElementsOf(Arrays.stream(Capability.values()).map(Capability::id).toList());
	}

	@SuppressWarnings("unchecked")
	private static List<Object> hintValues(Map<String, Object> metadata, String name) {
		Map<String, Object> hint = list(metadata, "hints").stream()
			.filter((candidate) -> candidate.get("name").equals(name))
			.findFirst()
			.orElseThrow(() -> new AssertionError("no hint " + name));
		List<Map<String, Object>> values = (List<Map<String, Object>>) hint.get("values");
		assertThat(values).allSatisfy((value) -> assertThat((String) value.get("description")).isNotBlank());
		return values.stream().map((value) -> value.get("value")).toList();
	}

}
