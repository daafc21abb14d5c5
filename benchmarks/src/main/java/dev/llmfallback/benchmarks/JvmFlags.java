package dev.llmfallback.benchmarks;

import java.util.List;

/**
 * JVM flags a benchmark's child processes get from a system property ({@code -Dbenchmarks.PART....Flags="..."}),
 * so that other settings (a collector, a footprint, a profiler agent) are measured with the same
 * command.
 */
public final class JvmFlags {

	private JvmFlags() {
	}

	/**
	 * @param property the system property
	 * @param defaults the flags, separated by spaces, when the property is missing or blank
	 * @return the property's flags, or the defaults; empty when both are blank
	 */
	public static List<String> fromProperty(String property, String defaults) {
		String value = System.getProperty(property, "");
		String flags = (value.isBlank() ? defaults : value).trim();
		return flags.isEmpty() ? List.of() : List.of(flags.split("\\s+"));
	}

}
