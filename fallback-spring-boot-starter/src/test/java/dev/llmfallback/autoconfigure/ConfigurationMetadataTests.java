package dev.llmfallback.autoconfigure;

import java.io.InputStream;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import dev.llmfallback.ErrorCategory;
import dev.llmfallback.provider.ChatProviders;

import static org.assertj.core.api.Assertions.assertThat;

/** The configuration metadata an IDE reads to complete and explain {@code llm.fallback.*}. */
class ConfigurationMetadataTests {

	@SuppressWarnings("unchecked")
	private static Map<String, Object> metadata() throws Exception {
		try (InputStream in = ConfigurationMetadataTests.class.getClassLoader()
			.getResourceAsStream("META-INF/spring-configuration-metadata.json")) {
			assertThat(in).as("generated metadata").isNotNull();
			return JsonMapper.builder().build().readValue(in, Map.class);
		}
	}

	@Test
	@SuppressWarnings("unchecked")
	void everyPropertyHasADescription() throws Exception {
		List<Map<String, Object>> properties = (List<Map<String, Object>>) metadata().get("properties");
		assertThat(properties).extracting((property) -> property.get("name"))
			.contains("llm.fallback.providers", "llm.fallback.models", "llm.fallback.policies",
					"llm.fallback.default-policy", "llm.fallback.health.strict", "llm.fallback.classification");
		assertThat(properties).allSatisfy((property) -> assertThat((String) property.get("description"))
			.as(property.get("name") + " description")
			.isNotBlank());
	}

	@Test
	@SuppressWarnings("unchecked")
	void classificationKeysAreHintedWithEveryCategory() throws Exception {
		List<Map<String, Object>> hints = (List<Map<String, Object>>) metadata().get("hints");
		Map<String, Object> keys = hints.stream()
			.filter((hint) -> hint.get("name").equals("llm.fallback.classification.keys"))
			.findFirst()
			.orElseThrow();
		assertThat((List<Map<String, Object>>) keys.get("values")).extracting((value) -> value.get("value"))
			.containsExactlyInAnyOrderElementsOf(
					java.util.Arrays.stream(ErrorCategory.values()).map(ErrorCategory::id).toList());
	}

	@Test
	void providerTypesAreAnEnumMatchingTheAdapters() {
		// An enum-typed field is what lets an IDE complete llm.fallback.providers.<name>.type.
		assertThat(java.util.Arrays.stream(ProviderType.values()).map(ProviderType::id).toList())
			.containsExactlyElementsOf(ChatProviders.TYPES);
	}

}
