package dev.llmfallback.policy;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;

/**
 * The nearest of some valid names to a misspelt one, for "did you mean" hints in start-up failures
 * and warnings. Distance is the optimal-string-alignment edit distance (a swap of two neighbouring
 * characters counts as one edit), compared in lower case with {@code -} and {@code _} left out, so
 * that {@code base_urll} is one edit from {@code base-url}.
 */
public final class Suggestions {

	private Suggestions() {
	}

	/**
	 * The candidate nearest to a name, if any is near enough to be a likely typo: at most two edits,
	 * or a third of the candidate's length for long names.
	 * @param name the name as written
	 * @param candidates the valid names
	 * @return the nearest candidate, or empty when none is close
	 */
	public static Optional<String> nearest(String name, Collection<String> candidates) {
		return nearest(name, candidates, false);
	}

	/**
	 * The candidate nearest to a name, however far.
	 * @param name the name as written
	 * @param candidates the valid names
	 * @return the nearest candidate, or empty when there are none
	 */
	public static Optional<String> closest(String name, Collection<String> candidates) {
		return nearest(name, candidates, true);
	}

	private static Optional<String> nearest(String name, Collection<String> candidates, boolean anyDistance) {
		String written = uniform(name);
		String best = null;
		int bestDistance = Integer.MAX_VALUE;
		for (String candidate : candidates) {
			String valid = uniform(candidate);
			int distance = distance(written, valid);
			boolean near = anyDistance || distance <= Math.max(2, valid.length() / 3);
			if (near && distance < bestDistance) {
				best = candidate;
				bestDistance = distance;
			}
		}
		return Optional.ofNullable(best);
	}

	/**
	 * The form in which Spring Boot's relaxed binding compares names: lower case, without dashes
	 * and underscores.
	 * @param name a name
	 * @return its uniform form
	 */
	public static String uniform(String name) {
		StringBuilder uniform = new StringBuilder(name.length());
		for (int i = 0; i < name.length(); i++) {
			char c = name.charAt(i);
			if (c != '-' && c != '_') {
				uniform.append(c);
			}
		}
		return uniform.toString().toLowerCase(Locale.ROOT);
	}

	/** Optimal string alignment distance: insertions, deletions, substitutions and adjacent swaps. */
	static int distance(String a, String b) {
		int[][] d = new int[a.length() + 1][b.length() + 1];
		for (int i = 0; i <= a.length(); i++) {
			d[i][0] = i;
		}
		for (int j = 0; j <= b.length(); j++) {
			d[0][j] = j;
		}
		for (int i = 1; i <= a.length(); i++) {
			for (int j = 1; j <= b.length(); j++) {
				int cost = (a.charAt(i - 1) == b.charAt(j - 1)) ? 0 : 1;
				d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
				if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
					d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
				}
			}
		}
		return d[a.length()][b.length()];
	}

}
