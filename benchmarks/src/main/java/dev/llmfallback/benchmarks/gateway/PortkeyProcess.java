package dev.llmfallback.benchmarks.gateway;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import dev.llmfallback.benchmarks.ChildProcesses;

/**
 * Portkey's open-source gateway ({@code @portkey-ai/gateway}, installed by {@code benchmarks/peers.sh}
 * under {@code benchmarks/target/peers/portkey}) in a Node.js process of its own, headless (no log
 * console), listening on 127.0.0.1 only ({@code loopback.mjs}, preloaded, binds its server there).
 * Portkey takes its routing from each request's {@code x-portkey-config} header: see
 * {@link #fallbackConfig}. Closing it ends the process.
 */
final class PortkeyProcess implements AutoCloseable {

	private final Process process;

	private final int port;

	private PortkeyProcess(Process process, int port) {
		this.process = process;
		this.port = port;
	}

	/**
	 * Starts the gateway and waits until its port accepts connections.
	 * @param directory where {@code npm install} put it, with {@code loopback.mjs}
	 * @param port the loopback port
	 * @param log where its output goes
	 * @return the running gateway
	 * @throws IOException if it cannot be started or does not listen within 30 s
	 */
	static PortkeyProcess start(Path directory, int port, Path log) throws IOException {
		Path server = directory.resolve("node_modules/@portkey-ai/gateway/build/start-server.js");
		if (!Files.isRegularFile(server)) {
			throw new IOException("Portkey's gateway is not installed in " + directory + " (benchmarks/peers.sh installs it)");
		}
		Files.createDirectories(log.toAbsolutePath().getParent());
		Process process = new ProcessBuilder(List.of("node", "--import", "./loopback.mjs", server.toAbsolutePath().toString(),
				"--port=" + port, "--headless"))
			.directory(directory.toFile())
			.redirectErrorStream(true)
			.redirectOutput(log.toFile())
			.start();
		PortkeyProcess portkey = new PortkeyProcess(process, port);
		portkey.awaitListening(Duration.ofSeconds(30), log);
		return portkey;
	}

	/**
	 * Portkey's config for a two-target fallback over OpenAI-compatible hosts: the second is tried
	 * when the first fails (a non-2xx answer, or no answer at all).
	 * @param primaryBaseUrl the first target's base URL, such as {@code http://127.0.0.1:PORT/v1}
	 * @param secondaryBaseUrl the second target's
	 * @return the JSON for the {@code x-portkey-config} header
	 */
	static String fallbackConfig(String primaryBaseUrl, String secondaryBaseUrl) {
		return "{\"strategy\":{\"mode\":\"fallback\"},\"targets\":[" + target(primaryBaseUrl) + ","
				+ target(secondaryBaseUrl) + "]}";
	}

	private static String target(String baseUrl) {
		return "{\"provider\":\"openai\",\"api_key\":\"bench\",\"custom_host\":\"" + baseUrl + "\"}";
	}

	/** @return {@code http://127.0.0.1:PORT/v1/chat/completions} */
	String chatUrl() {
		return "http://127.0.0.1:" + this.port + "/v1/chat/completions";
	}

	long pid() {
		return this.process.pid();
	}

	private void awaitListening(Duration timeout, Path log) throws IOException {
		long until = System.nanoTime() + timeout.toNanos();
		while (System.nanoTime() < until) {
			if (!this.process.isAlive()) {
				throw new IOException("Portkey's gateway exited with " + this.process.exitValue() + "; its log: " + log);
			}
			try (Socket socket = new Socket()) {
				socket.connect(new InetSocketAddress("127.0.0.1", this.port), 500);
				return;
			}
			catch (IOException ex) {
				// Not listening yet.
			}
			try {
				Thread.sleep(100);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IOException("interrupted while waiting for Portkey's gateway", ex);
			}
		}
		close();
		throw new IOException("Portkey's gateway did not listen within " + timeout.toSeconds() + " s; its log: " + log);
	}

	@Override
	public void close() {
		ChildProcesses.stop(this.process);
	}

}
