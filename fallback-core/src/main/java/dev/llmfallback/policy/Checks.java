package dev.llmfallback.policy;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/** Range checks for policy builders, reporting the property at fault. */
final class Checks {

	private Checks() {
	}

	static Duration positive(String property, @Nullable Duration value) {
		if (value == null || value.isNegative() || value.isZero()) {
			throw new FallbackConfigurationException(property, "must be a positive duration, was " + value,
					"Set it to a duration greater than zero, such as 30s");
		}
		return value;
	}

	static Duration notNegative(String property, @Nullable Duration value) {
		if (value == null || value.isNegative()) {
			throw new FallbackConfigurationException(property, "must not be negative, was " + value,
					"Set it to zero or a positive duration, such as 200ms");
		}
		return value;
	}

	static long atLeast(String property, long value, long minimum) {
		if (value < minimum) {
			throw new FallbackConfigurationException(property, "must be at least " + minimum + ", was " + value,
					"Set it to " + minimum + " or more");
		}
		return value;
	}

	static double between(String property, double value, double minimum, double maximum) {
		if (Double.isNaN(value) || value < minimum || value > maximum) {
			throw new FallbackConfigurationException(property,
					"must be between " + minimum + " and " + maximum + ", was " + value,
					"Set it to a value from " + minimum + " to " + maximum);
		}
		return value;
	}

	static String name(String property, @Nullable String value) {
		return name(property, value, "Give it a name");
	}

	static String name(String property, @Nullable String value, String action) {
		if (value == null || value.isBlank()) {
			throw new FallbackConfigurationException(property, "is not set", action);
		}
		return value.trim();
	}

}
