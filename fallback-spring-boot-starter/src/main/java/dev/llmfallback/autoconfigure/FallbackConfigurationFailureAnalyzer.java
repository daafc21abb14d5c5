package dev.llmfallback.autoconfigure;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

import dev.llmfallback.policy.FallbackConfigurationException;

/**
 * Explains a start-up failure caused by an LLM fallback configuration that cannot work, naming the
 * property at fault and what to do.
 */
class FallbackConfigurationFailureAnalyzer extends AbstractFailureAnalyzer<FallbackConfigurationException> {

	static final String PREFIX = "llm.fallback.";

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, FallbackConfigurationException cause) {
		String property = PREFIX + cause.property();
		String description = "The LLM fallback configuration is invalid:%n%n    Property: %s%n    Problem:  %s"
			.formatted(property, cause.problem());
		String action = "Update '%s' in your application's configuration. %s".formatted(property, cause.action());
		return new FailureAnalysis(description, action, cause);
	}

}
