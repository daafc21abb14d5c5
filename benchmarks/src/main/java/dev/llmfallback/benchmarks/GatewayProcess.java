package dev.llmfallback.benchmarks;

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
import java.util.Map;
import java.util.stream.Stream;

/**
 * The sample app run as a gateway in a process of its own (its executable jar), configured only by
 * command-line properties: no simulator (the profile is {@code benchmark}, not the default
 * {@code simulated}), providers pointing at a {@code BenchUpstream}. Closing it kills the process.
 */
public final class GatewayProcess implements AutoCloseable {

	private final Process process;

	private final int port;

	private final Path log;

	private GatewayProcess(Process process, int port, Path log) {
		this.process = process;
		this.port = port;
		this.log = log;
	}

	/**
	 * Starts the gateway and waits until {@code /actuator/health} answers.
	 * @param jar the sample app's executable jar
	 * @param jvmFlags flags for the JVM (heap, GC)
	 * @param port the port to serve on
	 * @param properties application properties, such as {@code llm.fallback.providers.up.base-url}
	 * @param log where its output goes
	 * @return the running gateway
	 * @throws IOException if it cannot be started, or does not become ready within a minute
	 */
	public static GatewayProcess start(Path jar, List<String> jvmFlags, int port, Map<String, String> properties,
			Path log) throws IOException {
		List<String> command = new ArrayList<>();
		command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
		command.addAll(jvmFlags);
		command.add("-jar");
		command.add(jar.toString());
		command.add("--server.port=" + port);
		command.add("--spring.profiles.active=benchmark");
		command.add("--spring.main.banner-mode=off");
		// Request logging would measure the logger, not the gateway.
		command.add("--logging.level.root=WARN");
		properties.forEach((name, value) -> command.add("--" + name + "=" + value));
		Files.createDirectories(log.toAbsolutePath().getParent());
		Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
		GatewayProcess gateway = new GatewayProcess(process, port, log);
		gateway.awaitReady(Duration.ofMinutes(1));
		return gateway;
	}

	/**
	 * The sample app's executable jar under {@code sample-app/target}.
	 * @param root the project's root
	 * @return the jar
	 */
	public static Path sampleAppJar(Path root) {
		try (Stream<Path> files = Files.list(root.resolve("sample-app/target"))) {
			return files.filter((file) -> file.getFileName().toString().matches("sample-app-.*\\.jar"))
				.filter((file) -> !file.getFileName().toString().endsWith("-plain.jar")
						&& !file.getFileName().toString().endsWith(".original"))
				.findFirst()
				.orElseThrow(() -> new IllegalStateException("no sample-app jar: run mvn -pl sample-app -am package"));
		}
		catch (IOException ex) {
			throw new IllegalStateException("no sample-app/target: run mvn -pl sample-app -am package", ex);
		}
	}

	public int port() {
		return this.port;
	}

	/** @return {@code http://127.0.0.1:PORT} */
	public String baseUrl() {
		return "http://127.0.0.1:" + this.port;
	}

	public long pid() {
		return this.process.pid();
	}

	/**
	 * The process's resident memory, from {@code /proc/PID/status}.
	 * @return VmRSS in bytes
	 * @throws IOException if it cannot be read
	 */
	public long residentBytes() throws IOException {
		return ResidentMemory.bytes(pid());
	}

	private void awaitReady(Duration timeout) throws IOException {
		HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
		HttpRequest health = HttpRequest.newBuilder(URI.create(baseUrl() + "/actuator/health"))
			.timeout(Duration.ofSeconds(2))
			.build();
		long until = System.nanoTime() + timeout.toNanos();
		while (System.nanoTime() < until) {
			if (!this.process.isAlive()) {
				throw new IOException("the gateway exited with " + this.process.exitValue() + "; its log: " + this.log);
			}
			try {
				// Any answer (a 503 too: health is down before any call) means it serves.
				client.send(health, HttpResponse.BodyHandlers.discarding());
				return;
			}
			catch (IOException ex) {
				// Not listening yet.
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IOException("interrupted while waiting for the gateway", ex);
			}
			try {
				Thread.sleep(200);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IOException("interrupted while waiting for the gateway", ex);
			}
		}
		close();
		throw new IOException("the gateway was not ready within " + timeout.toSeconds() + " s; its log: " + this.log);
	}

	@Override
	public void close() {
		ChildProcesses.stop(this.process);
	}

}
