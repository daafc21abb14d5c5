package dev.llmfallback.policy;

import java.util.Map;
import java.util.Properties;
import java.util.Set;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

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
	void knowsDatedSnapshotsAndAliasesOfAKnownId() {
		assertThat(this.catalog.maxInputTokens("gpt-4o-2024-08-06")).hasValue(128000);
		assertThat(this.catalog.maxInputTokens("gpt-4o-mini-2024-07-18")).hasValue(128000);
		assertThat(this.catalog.maxInputTokens("gpt-4-0613")).hasValue(8192);
		assertThat(this.catalog.maxInputTokens("claude-3-5-haiku-20241022")).hasValue(200000);
		assertThat(this.catalog.maxInputTokens("claude-3-5-sonnet@20240620")).hasValue(200000);
		assertThat(this.catalog.maxInputTokens("claude-3-5-sonnet-v2@20241022")).hasValue(200000);
		assertThat(this.catalog.maxInputTokens("claude-sonnet-4-5-20250929")).hasValue(200000);
		assertThat(this.catalog.maxInputTokens("gemini-1.5-pro-002")).hasValue(2097152);
		assertThat(this.catalog.maxInputTokens("command-r-08-2024")).hasValue(128000);
		assertThat(this.catalog.maxInputTokens("mistral-large-2411")).hasValue(131072);
		assertThat(this.catalog.maxInputTokens("mistral-large-latest")).hasValue(131072);
	}

	@Test
	void aSnapshotTakesTheLongestKnownIdItExtends() {
		// gpt-4o-mini-..., not gpt-4o-...; the row is the same size here, so compare capabilities.
		assertThat(this.catalog.capabilities("chatgpt-4o-latest")).doesNotContain(Capability.TOOLS);
		assertThat(this.catalog.knows("gpt-4o-mini-2024-07-18")).isTrue();
		assertThat(this.catalog.maxInputTokens("gpt-4-32k-0613")).hasValue(32768);
	}

	@Test
	void guessesNothingElse() {
		assertThat(this.catalog.maxInputTokens("gpt-4o-mnii")).isEmpty();
		assertThat(this.catalog.maxInputTokens("gpt-4o-mini-finetune")).isEmpty();
		assertThat(this.catalog.maxInputTokens("claude-sonnet-4-6")).isEmpty();
		assertThat(this.catalog.maxInputTokens("claude-3-5-haiku-12")).isEmpty();
		assertThat(this.catalog.maxInputTokens("gpt-4.5-preview")).isEmpty();
		assertThat(this.catalog.maxInputTokens("claude")).isEmpty();
		assertThat(this.catalog.maxInputTokens("prod-chat-eu")).isEmpty();
		assertThat(this.catalog.knows("gpt-4o-mnii")).isFalse();
	}

	@Test
	void ignoresProviderPrefixesAndCase() {
		assertThat(this.catalog.maxInputTokens("models/gemini-2.5-flash")).hasValue(1048576);
		assertThat(this.catalog.maxInputTokens("openai/GPT-4o")).hasValue(128000);
	}

	@Test
	void unknownModelsHaveNoWindowAndEveryCapability() {
		assertThat(this.catalog.maxInputTokens("my-finetune")).isEmpty();
		assertThat(this.catalog.maxInputTokens(null)).isEmpty();
		assertThat(this.catalog.capabilities("my-finetune")).containsExactlyInAnyOrder(Capability.values());
	}

	@Test
	void knowsWhatModelsCanServe() {
		assertThat(this.catalog.capabilities("gpt-4o-2024-08-06")).containsExactlyInAnyOrder(Capability.values());
		assertThat(this.catalog.capabilities("o1-mini")).containsExactly(Capability.STREAMING);
		assertThat(this.catalog.capabilities("o3-pro")).doesNotContain(Capability.STREAMING);
		assertThat(this.catalog.capabilities("claude-3-5-haiku-latest")).containsExactlyInAnyOrder(Capability.TOOLS,
				Capability.VISION, Capability.STREAMING);
		assertThat(this.catalog.capabilities("deepseek-chat")).doesNotContain(Capability.VISION);
	}

	@Test
	void everyRowOfTheResourceHasAWindowAndCapabilitiesOrDimensions() throws Exception {
		Properties rows = new Properties();
		try (var in = ModelCatalog.class.getClassLoader().getResourceAsStream(ModelCatalog.RESOURCE)) {
			rows.load(in);
		}
		assertThat(rows).hasSizeGreaterThan(50);
		rows.forEach((id, row) -> assertThat((String) row).as((String) id).matches("\\d+ \\| [a-z-]+(, [a-z-]+)*|\\d+ \\| \\| dimensions \\d+"));
	}

	@Test
	void suggestsTheKnownIdAnUnknownOneMostLikelyMeans() {
		assertThat(this.catalog.nearest("gpt-4o-mnii")).hasValue("gpt-4o-mini");
		assertThat(this.catalog.nearest("prod-gpt-4o-mini-eu")).hasValue("gpt-4o-mini");
		assertThat(this.catalog.nearest("company-chat")).isEmpty();
	}

	@Test
	void completesADefinitionFromItsBaseModel() {
		ModelDefinition deployment = ModelDefinition.builder("azure-chat")
			.provider("azure")
			.model("prod-chat-eu")
			.baseModel("gpt-4o-mini")
			.build();
		ModelDefinition completed = this.catalog.complete(deployment);
		assertThat(completed.model()).isEqualTo("prod-chat-eu");
		assertThat(completed.catalogId()).isEqualTo("gpt-4o-mini");
		assertThat(completed.maxInputTokens()).isEqualTo(128000);
		assertThat(completed.capabilities()).containsExactlyInAnyOrder(Capability.values());
	}

	@Test
	void whatAModelSetsItselfWinsOverTheCatalogue() {
		ModelDefinition own = ModelDefinition.builder("m")
			.provider("p")
			.model("gpt-4o")
			.maxInputTokens(8000)
			.capabilities(Set.of(Capability.TOOLS))
			.build();
		ModelDefinition completed = this.catalog.complete(own);
		assertThat(completed.maxInputTokens()).isEqualTo(8000);
		assertThat(completed.capabilities()).containsExactly(Capability.TOOLS);
	}

	@Test
	void anUnknownModelIsLeftAsItIs() {
		ModelDefinition unknown = ModelDefinition.builder("m").provider("p").model("gpt-4o-mnii").build();
		assertThat(this.catalog.complete(unknown)).isEqualTo(unknown);
		assertThat(this.catalog.complete(unknown).maxInputTokens()).isNull();
		assertThat(this.catalog.complete(unknown).capabilities()).isNull();
	}

	@Test
	void anUnknownBaseModelIsAConfigurationError() {
		ModelDefinition deployment = ModelDefinition.builder("azure-chat")
			.provider("azure")
			.model("prod-chat-eu")
			.baseModel("gpt-4o-mnii")
			.build();
		assertThatExceptionOfType(FallbackConfigurationException.class)
			.isThrownBy(() -> this.catalog.complete(deployment))
			.satisfies((ex) -> {
				assertThat(ex.property()).isEqualTo("models.azure-chat.base-model");
				assertThat(ex.action()).contains("Did you mean 'gpt-4o-mini'?");
			});
	}

	@Test
	void aCustomCatalogHoldsOnlyItsEntries() {
		ModelCatalog custom = ModelCatalog.of(Map.of("local-llama", 8192));
		assertThat(custom.maxInputTokens("local-llama")).hasValue(8192);
		assertThat(custom.maxInputTokens("local-llama-20250101")).hasValue(8192);
		assertThat(custom.maxInputTokens("local-llama-q4")).isEmpty();
		assertThat(custom.maxInputTokens("gpt-4o")).isEmpty();
	}

}
