package dev.llmfallback.benchmarks.upstream;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.llmfallback.benchmarks.ChildProcesses;

/**
 * {@link BenchUpstream}s in a JVM of their own (so that the upstream's work is not charged to the
 * process being measured), one per port, driven over their {@code /_control} endpoints.
 */
public final class UpstreamProcess implements AutoCloseable {

	private static final Pattern REQUESTS = Pattern.compile("\"requests\":(\\d+)");

	private static final Pattern STREAMS = Pattern.compile("\"streams\":(\\d+)");

	private final Process process;

	private final HttpClient control = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

	private UpstreamProcess(Process process) {
		this.process = process;
	}

	/**
	 * Starts the upstreams and waits until every port answers.
	 * @param jvmFlags flags for the upstreams' JVM
	 * @param ports the ports, each with {@code :QUERY} for a first behaviour other than OK
	 * @param log where its output goes
	 * @return the running upstreams
	 * @throws IOException if they cannot be started
	 */
	public static UpstreamProcess start(List<String> jvmFlags, List<String> ports, Path log) throws IOException {
		List<String> command = new ArrayList<>();
		command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
		command.addAll(jvmFlags);
		command.add("-cp");
		command.add(System.getProperty("java.class.path"));
		command.add(BenchUpstream.class.getName());
		command.addAll(ports);
		Files.createDirectories(log.toAbsolutePath().getParent());
		Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
		UpstreamProcess upstreams = new UpstreamProcess(process);
		for (String port : ports) {
			upstreams.awaitReady(Integer.parseInt(port.split(":", 2)[0]), log);
		}
		return upstreams;
	}

	/**
	 * Changes one port's behaviour (parameters as in {@link Behaviour#with}).
	 * @param port the port
	 * @param query such as {@code mode=status_503&retryAfter=0s}
	 */
	public void behave(int port, String query) {
		call(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/_control/behave?" + query))
			.POST(HttpRequest.BodyPublishers.noBody()));
	}

	/** @param port the port whose counters are zeroed */
	public void reset(int port) {
		call(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/_control/reset"))
			.POST(HttpRequest.BodyPublishers.noBody()));
	}

	/**
	 * @param port the port
	 * @return chat requests it received since the last reset
	 */
	public long requests(int port) {
		return counter(stats(port), REQUESTS);
	}

	/**
	 * @param port the port
	 * @return streamed chat requests it received since the last reset
	 */
	public long streams(int port) {
		return counter(stats(port), STREAMS);
	}

	/**
	 * @param port the port
	 * @return its counters and behaviour, as JSON
	 */
	public String stats(int port) {
		return call(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/_control/stats")).GET());
	}

	private static long counter(String stats, Pattern pattern) {
		Matcher matcher = pattern.matcher(stats);
		if (!matcher.find()) {
			throw new IllegalStateException("no counter in " + stats);
		}
		return Long.parseLong(matcher.group(1));
	}

	private String call(HttpRequest.Builder request) {
		try {
			HttpResponse<String> response = this.control.send(request.timeout(Duration.ofSeconds(5)).build(),
					HttpResponse.BodyHandlers.ofString());
			if (response.statusCode() != 200) {
				throw new IllegalStateException("upstream control answered " + response.statusCode() + ": " + response.body());
			}
			return response.body();
		}
		catch (IOException ex) {
			throw new IllegalStateException("upstream control failed", ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("interrupted", ex);
		}
	}

	private void awaitReady(int port, Path log) throws IOException {
		long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
		while (System.nanoTime() < until) {
			if (!this.process.isAlive()) {
				throw new IOException("the upstream exited with " + this.process.exitValue() + "; its log: " + log);
			}
			try {
				stats(port);
				return;
			}
			catch (IllegalStateException ex) {
				try {
					Thread.sleep(100);
				}
				catch (InterruptedException interrupted) {
					Thread.currentThread().interrupt();
					throw new IOException("interrupted", interrupted);
				}
			}
		}
		close();
		throw new IOException("upstream port " + port + " was not ready within 30 s; its log: " + log);
	}

	@Override
	public void close() {
		ChildProcesses.stop(this.process);
	}

}
