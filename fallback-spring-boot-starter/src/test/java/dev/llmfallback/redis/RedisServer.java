package dev.llmfallback.redis;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import static org.awaitility.Awaitility.await;

/**
 * A real {@code redis-server} process on a free loopback port, without persistence, for tests of
 * shared state: {@code @RegisterExtension static final RedisServer redis = new RedisServer();}. Where the binary is missing the tests are skipped with a message naming the Debian
 * package, unless {@code LLM_FALLBACK_REQUIRE_REDIS} is set (as {@code .ci/run} does): then they fail,
 * so that CI never passes by skipping them.
 */
public final class RedisServer implements BeforeAllCallback, AfterAllCallback {

	/** On the PATH, or where Debian and a source install put it. */
	private static final List<Path> BINARIES = binaries();

	private static List<Path> binaries() {
		List<Path> candidates = new java.util.ArrayList<>();
		String path = System.getenv("PATH");
		if (path != null) {
			for (String directory : path.split(java.io.File.pathSeparator)) {
				candidates.add(Path.of(directory, "redis-server"));
			}
		}
		candidates.add(Path.of("/usr/bin/redis-server"));
		candidates.add(Path.of("/usr/local/bin/redis-server"));
		return candidates;
	}

	private String binary;

	private int port;

	private Path directory;

	private Process process;

	/** Starts a server before the class's tests, or skips them where {@code redis-server} is not installed. */
	@Override
	public void beforeAll(ExtensionContext context) throws IOException {
		String binary = BINARIES.stream()
			.filter(Files::isExecutable)
			.map(Path::toString)
			.findFirst()
			.orElse(null);
		if (binary == null) {
			String message = "redis-server is not installed (Debian: apt-get install redis-server); "
					+ "the tests of shared state in Redis need a real server";
			if (System.getenv("LLM_FALLBACK_REQUIRE_REDIS") != null) {
				throw new IllegalStateException(message + ", and LLM_FALLBACK_REQUIRE_REDIS is set");
			}
			Assumptions.abort(message + ": skipped");
		}
		this.binary = binary;
		this.port = freePort();
		this.directory = Files.createTempDirectory("redis-test");
		restart();
	}

	public int port() {
		return this.port;
	}

	/** Starts the process (again, after {@link #kill()}) on the same port and waits until it answers. */
	public void restart() throws IOException {
		this.process = new ProcessBuilder(this.binary, "--port", Integer.toString(this.port), "--bind", "127.0.0.1",
				"--save", "", "--appendonly", "no", "--dir", this.directory.toString())
			.redirectErrorStream(true)
			.redirectOutput(this.directory.resolve("redis.log").toFile())
			.start();
		await().atMost(Duration.ofSeconds(20)).until(this::accepts);
	}

	/** Kills the process at once (SIGKILL): no goodbye to its clients. */
	public void kill() throws InterruptedException {
		this.process.destroyForcibly();
		this.process.waitFor(10, TimeUnit.SECONDS);
	}

	private boolean accepts() {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress("127.0.0.1", this.port), 200);
			socket.getOutputStream().write("PING\r\n".getBytes());
			byte[] answer = new byte[7];
			return socket.getInputStream().read(answer) > 0 && new String(answer).startsWith("+PONG");
		}
		catch (IOException ex) {
			return false;
		}
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

	@Override
	public void afterAll(ExtensionContext context) throws InterruptedException {
		if (this.process != null) {
			kill();
		}
	}

}
