package dev.llmfallback.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The rows one benchmark part adds to the table that {@code benchmarks/run.sh} prints: one file per
 * part, {@code benchmarks/target/results/PART.tsv}, a row per line: what, measured, target, verdict
 * ({@code met}, {@code missed} or {@code -} where there is no target). A part truncates its file when
 * it starts, so the table always shows the latest run of each part.
 */
public final class Results {

	private final Path file;

	private Results(Path file) {
		this.file = file;
	}

	/**
	 * Opens (and empties) the results of one part.
	 * @param part the part's name, such as {@code gateway}
	 * @return its results
	 */
	public static Results of(String part) {
		Path directory = Path.of(System.getProperty("benchmarks.results", "benchmarks/target/results"));
		try {
			Files.createDirectories(directory);
			Path file = directory.resolve(part + ".tsv");
			Files.writeString(file, "", StandardCharsets.UTF_8);
			return new Results(file);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Adds a row with a target.
	 * @param what what was measured, with its conditions
	 * @param measured the figure, with its unit
	 * @param target the target, as the issue states it
	 * @param met whether the target is met
	 */
	public void row(String what, String measured, String target, boolean met) {
		write(what, measured, target, met ? "met" : "missed");
	}

	/**
	 * Adds a row without a target (a figure for the record).
	 * @param what what was measured, with its conditions
	 * @param measured the figure, with its unit
	 */
	public void row(String what, String measured) {
		write(what, measured, "-", "-");
	}

	private void write(String... cells) {
		StringBuilder line = new StringBuilder();
		for (String cell : cells) {
			line.append(line.isEmpty() ? "" : "\t").append(cell.replace('\t', ' ').replace('\n', ' '));
		}
		System.out.println("  " + line.toString().replace('\t', '|'));
		try {
			Files.writeString(this.file, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
