package dev.llmfallback.readme;

import dev.llmfallback.ChatRequest;
import dev.llmfallback.engine.FallbackEngine;
import dev.llmfallback.engine.TokenEstimator;
import dev.llmfallback.policy.ModelCatalog;

/** The README's LiteLLM get_max_tokens / token_counter equivalents, word for word. */
final class ContextWindows {

	private ContextWindows() {
	}

	/** Whether a prompt fits a configured model's window, as the engine's pre-check decides it. */
	static boolean fits(FallbackEngine engine, String model, String prompt) {
		int window = engine.maxInputTokens(model);                                  // 0: unknown, never checked
		int tokens = TokenEstimator.shared().estimate(ChatRequest.of(prompt));      // o200k_base, plus message framing
		return window == 0 || tokens <= window;
	}

	/** A known model id's window from the built-in catalogue, without any configuration. */
	static int catalogueWindow(String modelId) {
		return ModelCatalog.builtIn().maxInputTokens(modelId).orElse(0);            // "gpt-4o" -> 128000
	}

}
