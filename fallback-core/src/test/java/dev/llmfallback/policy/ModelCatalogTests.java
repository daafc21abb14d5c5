package dev.llmfallback.policy;

import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ModelCatalogTests {

	private final ModelCatalog catalog = ModelCatalog.builtIn();

	@Test
	void knowsCurrentModelsOfTheMajorProviders() {
		assertThat(this.catalog.maxInputTokens("gpt-4o-mini")).hasValue(128000);
		assertThat(this.catalog.maxInputTokens("claude-3-5-haiku-latest")).hasValue(200000);
		assertThat(this.catalog.maxInputTokens("gemini-1.5-pro")).hasValue(2097152);
		assertThat(this.catalog.maxInputTokens("command-r-plus")).hasValue(128000);
		assertThat(this.catalog.maxInputTokens("gpt-4.1")).hasValue(1047576);
	}

	@Test
	void matchesDatedSnapshotsToTheirFamily() {
		assertThat(this.catalog.maxInputTokens("gpt-4o-2024-08-06")).hasValue(128000);
		assertThat(this.catalog.maxInputTokens("gpt-4o-mini-2024-07-18")).hasValue(128000);
		assertThat(this.catalog.maxInputTokens("gpt-4-0613")).hasValue(8192);
		assertThat(this.catalog.maxInputTokens("claude-3-5-sonnet@20240620")).hasValue(200000);
	}

	@Test
	void doesNotMatchAcrossADot() {
		assertThat(this.catalog.maxInputTokens("gpt-4.5-preview")).isEmpty();
	}

	@Test
	void ignoresProviderPrefixesAndCase() {
		assertThat(this.catalog.maxInputTokens("models/gemini-2.5-flash")).hasValue(1048576);
		assertThat(this.catalog.maxInputTokens("openai/GPT-4o")).hasValue(128000);
	}

	@Test
	void unknownModelsHaveNoWindow() {
		assertThat(this.catalog.maxInputTokens("my-finetune")).isEmpty();
		assertThat(this.catalog.maxInputTokens(null)).isEmpty();
	}

	@Test
	void aCustomCatalogHoldsOnlyItsEntries() {
		ModelCatalog custom = ModelCatalog.of(Map.of("local-llama", 8192));
		assertThat(custom.maxInputTokens("local-llama-q4")).hasValue(8192);
		assertThat(custom.maxInputTokens("gpt-4o")).isEmpty();
	}

}
