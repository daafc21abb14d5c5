package dev.llmfallback.benchmarks.gateway;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.llmfallback.benchmarks.ChildProcesses;

/**
 * {@link BareProxy} in a JVM of its own, started with the same JVM flags as the gateway so that the
 * two are compared on equal terms. Closing it kills the process.
 */
public final class BareProxyProcess implements AutoCloseable {

	private final Process process;

	private final int port;

	private BareProxyProcess(Process process, int port) {
		this.process = process;
		this.port = port;
	}

	/**
	 * Starts the proxy and waits until its port accepts connections.
	 * @param jvmFlags flags for its JVM
	 * @param port the port to serve on
	 * @param upstreamBaseUrl the upstream's OpenAI base URL
	 * @param maxConnections the pool's size towards the upstream
	 * @param log where its output goes
	 * @return the running proxy
	 * @throws IOException if it cannot be started or does not listen within 30 s
	 */
	public static BareProxyProcess start(List<String> jvmFlags, int port, String upstreamBaseUrl, int maxConnections, Path log)
			throws IOException {
		List<String> command = new ArrayList<>();
		command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
		command.addAll(jvmFlags);
		command.add("-cp");
		command.add(System.getProperty("java.class.path"));
		command.add(BareProxy.class.getName());
		command.add(Integer.toString(port));
		command.add(upstreamBaseUrl);
		command.add(Integer.toString(maxConnections));
		Files.createDirectories(log.toAbsolutePath().getParent());
		Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
		BareProxyProcess proxy = new BareProxyProcess(process, port);
		long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
		while (System.nanoTime() < until) {
			if (!process.isAlive()) {
				throw new IOException("the bare proxy exited with " + process.exitValue() + "; its log: " + log);
			}
			try (Socket socket = new Socket()) {
				socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
				return proxy;
			}
			catch (IOException ex) {
				try {
					Thread.sleep(100);
				}
				catch (InterruptedException interrupted) {
					Thread.currentThread().interrupt();
					proxy.close();
					throw new IOException("interrupted while waiting for the bare proxy", interrupted);
				}
			}
		}
		proxy.close();
		throw new IOException("the bare proxy did not listen within 30 s; its log: " + log);
	}

	/** @return {@code http://127.0.0.1:PORT} */
	public String baseUrl() {
		return "http://127.0.0.1:" + this.port;
	}

	/** @return the proxy's process id */
	public long pid() {
		return this.process.pid();
	}

	@Override
	public void close() {
		ChildProcesses.stop(this.process);
	}

}
