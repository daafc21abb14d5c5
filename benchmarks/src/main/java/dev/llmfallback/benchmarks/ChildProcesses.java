package dev.llmfallback.benchmarks;

import java.util.concurrent.TimeUnit;

/** Ends the processes a benchmark started (upstream, gateway, proxy), so that none outlives the run. */
public final class ChildProcesses {

	private ChildProcesses() {
	}

	/**
	 * Asks the process to stop (SIGTERM, so a JVM runs its shutdown hooks), and kills it when it has not
	 * ended within ten seconds.
	 * @param process the process
	 */
	public static void stop(Process process) {
		process.destroy();
		try {
			if (!process.waitFor(10, TimeUnit.SECONDS)) {
				process.destroyForcibly().waitFor();
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			process.destroyForcibly();
		}
	}

}
