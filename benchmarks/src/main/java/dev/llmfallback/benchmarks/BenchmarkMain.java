package dev.llmfallback.benchmarks;

/** How a benchmark part's {@code main} ends: 0 when it ran (missed targets included), 1 when it broke. */
public final class BenchmarkMain {

	/** A part's run. */
	@FunctionalInterface
	public interface Part {

		void run() throws Exception;

	}

	private BenchmarkMain() {
	}

	/**
	 * Runs the part and exits the JVM: Reactor Netty's event loops are not daemons and would keep it alive.
	 * @param name the part's name, for the failure message
	 * @param part the run
	 */
	public static void run(String name, Part part) {
		int status = 0;
		try {
			part.run();
		}
		catch (Exception ex) {
			System.err.println(name + " benchmark failed: " + ex);
			ex.printStackTrace();
			status = 1;
		}
		System.exit(status);
	}

}
