package dev.llmfallback.autoconfigure;

import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.bind.UnboundConfigurationPropertiesException;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.boot.origin.Origin;
import org.springframework.core.Ordered;

import dev.llmfallback.policy.FallbackConfigurationException;

/**
 * Explains a start-up failure caused by an LLM fallback configuration that cannot work, naming the
 * property at fault and what to do: a {@link FallbackConfigurationException} from the core's checks,
 * or a name under {@code llm.fallback} that bound to nothing (a misspelt property, with the nearest
 * valid name). Runs before Spring Boot's own analyzers, which would print an unknown property's
 * value (it may be an API key); a value is never shown.
 */
class FallbackConfigurationFailureAnalyzer implements FailureAnalyzer, Ordered {

	static final String PREFIX = "llm.fallback.";

	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE;
	}

	@Override
	public @Nullable FailureAnalysis analyze(Throwable failure) {
		FallbackConfigurationException invalid = cause(failure, FallbackConfigurationException.class);
		if (invalid != null) {
			return analysis(List.of(new Problem(invalid, null)), invalid);
		}
		UnboundConfigurationPropertiesException unbound = cause(failure, UnboundConfigurationPropertiesException.class);
		if (unbound != null) {
			List<Problem> problems = new ArrayList<>();
			for (ConfigurationProperty property : unbound.getUnboundProperties()) {
				if (property.getName().toString().startsWith(PREFIX)) {
					problems.add(new Problem(UnknownProperty.explain(property.getName()), property.getOrigin()));
				}
			}
			return problems.isEmpty() ? null : analysis(problems, unbound);
		}
		return null;
	}

	private static FailureAnalysis analysis(List<Problem> problems, Throwable cause) {
		StringBuilder description = new StringBuilder("The LLM fallback configuration is invalid:%n".formatted());
		StringBuilder action = new StringBuilder();
		for (Problem problem : problems) {
			String property = PREFIX + problem.exception.property();
			description.append("%n    Property: %s%n    Problem:  %s%n".formatted(property, problem.exception.problem()));
			if (problem.origin != null) {
				description.append("    Origin:   %s%n".formatted(problem.origin));
			}
			action.append((action.length() > 0) ? "%n".formatted() : "")
				.append("Update '%s' in your application's configuration. %s".formatted(property,
						problem.exception.action()));
		}
		return new FailureAnalysis(description.toString().stripTrailing(), action.toString(), cause);
	}

	private static <E extends Throwable> @Nullable E cause(Throwable failure, Class<E> type) {
		for (Throwable candidate = failure; candidate != null; candidate = candidate.getCause()) {
			if (type.isInstance(candidate)) {
				return type.cast(candidate);
			}
		}
		return null;
	}

	private record Problem(FallbackConfigurationException exception, @Nullable Origin origin) {

	}

}
