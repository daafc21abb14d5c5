package dev.llmfallback.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;

/** A process's resident memory (VmRSS, from {@code /proc/PID/status}): now, or its peak while work runs. */
public final class ResidentMemory {

	/** How often the peak is sampled: often enough for a 30 s load, rarely enough to cost nothing. */
	private static final long SAMPLE_MILLIS = 50;

	private ResidentMemory() {
	}

	/**
	 * @param pid the process
	 * @return its VmRSS in bytes
	 * @throws IOException if it cannot be read
	 */
	public static long bytes(long pid) throws IOException {
		for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
			if (line.startsWith("VmRSS:")) {
				return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
			}
		}
		throw new IOException("no VmRSS in /proc/" + pid + "/status");
	}

	/**
	 * Runs the work while a thread samples the process's VmRSS every 50 ms.
	 * @param pid the process
	 * @param work what to run meanwhile
	 * @param <T> the work's result
	 * @return the peak in bytes and the work's result
	 * @throws Exception what the work throws
	 */
	public static <T> Peak<T> peakDuring(long pid, Callable<T> work) throws Exception {
		AtomicLong peak = new AtomicLong(bytes(pid));
		Thread sampler = new Thread(() -> {
			try {
				while (!Thread.currentThread().isInterrupted()) {
					peak.accumulateAndGet(bytes(pid), Math::max);
					Thread.sleep(SAMPLE_MILLIS);
				}
			}
			catch (InterruptedException ex) {
				// the work is done
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}, "rss-sampler-" + pid);
		sampler.setDaemon(true);
		sampler.start();
		T result;
		try {
			result = work.call();
		}
		finally {
			sampler.interrupt();
			sampler.join();
		}
		return new Peak<>(peak.get(), result);
	}

	/**
	 * @param bytes the highest VmRSS sampled
	 * @param result the work's result
	 * @param <T> the work's result type
	 */
	public record Peak<T>(long bytes, T result) {
	}

}
