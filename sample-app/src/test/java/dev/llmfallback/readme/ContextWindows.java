package dev.llmfallback.readme;

import dev.llmfallback.ChatRequest;
import dev.llmfallback.engine.FallbackEngine;
import dev.llmfallback.engine.TokenEstimator;
import dev.llmfallback.policy.ModelCatalog;

/** The README's LiteLLM get_max_tokens / token_counter equivalents, line for line. */
final class ContextWindows {

	/** The README's code lines, each of which {@link ReadmeExamplesTests} finds in the README. */
	static final String[] README_LINES = {
			"int window = ModelCatalog.builtIn().maxInputTokens(\"gpt-4o\").orElse(0);",
			"int tokens = TokenEstimator.shared().estimate(ChatRequest.of(prompt));",
			"int checked = engine.maxInputTokens(\"gpt-4o-mini\");",
			"boolean fits = checked == 0 || tokens <= checked;" };

	private ContextWindows() {
	}

	static Figures figures(FallbackEngine engine, String prompt) {
		int window = ModelCatalog.builtIn().maxInputTokens("gpt-4o").orElse(0);
		int tokens = TokenEstimator.shared().estimate(ChatRequest.of(prompt));
		int checked = engine.maxInputTokens("gpt-4o-mini");
		boolean fits = checked == 0 || tokens <= checked;
		return new Figures(window, tokens, checked, fits);
	}

	record Figures(int window, int tokens, int checked, boolean fits) {
	}

}
