package dev.llmfallback.autoconfigure;

import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.core.io.support.SpringFactoriesLoader;
import org.springframework.core.io.support.SpringFactoriesLoader.ArgumentResolver;
import org.springframework.core.io.support.SpringFactoriesLoader.FailureHandler;

import static org.assertj.core.api.Assertions.assertThat;

/** Start-up failures analysed as Spring Boot does, for the tests of bad configuration. */
final class FailureAnalyses {

	private FailureAnalyses() {
	}

	/** The analysis of the first registered analyzer that knows the context's start-up failure. */
	static FailureAnalysis analysis(AssertableApplicationContext context) {
		assertThat(context).hasFailed();
		for (FailureAnalyzer analyzer : SpringFactoriesLoader.forDefaultResourceLocation()
			.load(FailureAnalyzer.class, ArgumentResolver.from((type) -> null),
					FailureHandler.handleMessage((message, failure) -> {
					}))) {
			FailureAnalysis analysis = analyzer.analyze(context.getStartupFailure());
			if (analysis != null) {
				return analysis;
			}
		}
		throw new AssertionError("no failure analyzer explains " + context.getStartupFailure());
	}

}
