package dev.llmfallback.benchmarks.engine;

/**
 * Checks, before measuring, that a stack really got the upstream's completion, so a broken setup
 * fails the run instead of timing an error path.
 */
final class Answers {

	static final String EXPECTED = "Hello from the bench upstream.";

	private Answers() {
	}

	static void check(String stack, String answer) {
		if (answer == null || !answer.contains(EXPECTED)) {
			throw new IllegalStateException(stack + " did not get the upstream's completion: " + answer);
		}
	}

}
