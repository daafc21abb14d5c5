package dev.llmfallback.benchmarks.gateway;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import dev.llmfallback.benchmarks.BenchmarkMain;
import dev.llmfallback.benchmarks.GatewayProcess;
import dev.llmfallback.benchmarks.Results;
import dev.llmfallback.benchmarks.streaming.StreamingBenchmark;
import dev.llmfallback.benchmarks.upstream.BenchUpstream;
import dev.llmfallback.benchmarks.upstream.UpstreamProcess;

/**
 * How much the gateway adds to one request in flight as a function of the idle time before it: the
 * same plain and streamed requests, one at a time, back to back and then after a pause of 1, 5, 20
 * and 100 ms, sent directly and through the gateway in interleaved rounds.
 *
 * <p>Why: wrk at one connection sends requests back to back, so every cache, TLB and branch predictor
 * stays warm; a client that pauses (a person typing, an agent thinking, a stream paced every few
 * milliseconds) finds the machine cold. On a virtual machine the same request path then takes
 * several times its warm CPU time, and a gateway whose path is longer than the upstream's loses more.
 * This part shows that the time to a first streamed token is that effect, not a cost of streaming:
 * the plain and streamed rows move together.
 *
 * <p>The client is a blocking socket in this JVM (one write per request, no pool, no event loop of its
 * own), so it adds as little of its own as a Java client can. Each side has its own keep-alive
 * connection.
 *
 * <p>{@code java -cp benchmarks.jar dev.llmfallback.benchmarks.gateway.IdleGapBenchmark [--smoke]}
 */
public final class IdleGapBenchmark {

	private static final List<String> FLAGS = List.of("-Xms256m", "-Xmx256m");

	private static final long[] GAPS_MS = { 0, 1, 5, 20, 100 };

	private static final byte[] CRLF2 = "\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

	/** A stream's first token: the first event with a content field. */
	private static final byte[] CONTENT = "\"content\"".getBytes(StandardCharsets.US_ASCII);

	/** The end of a chunked body. */
	private static final byte[] LAST_CHUNK = "0\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

	private final Results results;

	private final boolean smoke;

	private IdleGapBenchmark(Results results, boolean smoke) {
		this.results = results;
		this.smoke = smoke;
	}

	public static void main(String[] args) {
		boolean smoke = Arrays.asList(args).contains("--smoke");
		BenchmarkMain.run("idle", () -> new IdleGapBenchmark(Results.of("idle"), smoke).run());
	}

	private void run() throws Exception {
		Path logs = Path.of(System.getProperty("benchmarks.results", "benchmarks/target/results"));
		int upstreamPort = BenchUpstream.refusedPort();
		int gatewayPort = BenchUpstream.refusedPort();
		try (UpstreamProcess upstream = UpstreamProcess.start(FLAGS,
				List.of(upstreamPort + ":mode=ok&chunks=4&chunkInterval=1ms"), logs.resolve("idle-upstream.log"));
				GatewayProcess gateway = GatewayProcess.start(GatewayProcess.sampleAppJar(Path.of(".")), FLAGS,
						gatewayPort, StreamingBenchmark.gatewayProperties(upstreamPort, 16),
						logs.resolve("idle-gateway.log"));
				Connection direct = new Connection(upstreamPort);
				Connection proxied = new Connection(gatewayPort)) {
			this.results.row("setup", "JDK " + System.getProperty("java.version") + ", "
					+ Runtime.getRuntime().availableProcessors() + " CPUs; upstream and gateway " + String.join(" ", FLAGS)
					+ "; one blocking socket per side; streams of 4 chunks 1 ms apart");
			Duration warmup = this.smoke ? Duration.ofSeconds(2) : Duration.ofSeconds(30);
			for (Connection connection : List.of(direct, proxied)) {
				long end = System.nanoTime() + warmup.toNanos();
				for (int i = 0; System.nanoTime() < end; i++) {
					connection.exchange(i % 4 == 0);
				}
			}
			int rounds = this.smoke ? 1 : 3;
			for (boolean stream : new boolean[] { false, true }) {
				for (long gap : GAPS_MS) {
					measure(direct, proxied, stream, gap, rounds);
				}
			}
		}
	}

	/** Interleaved rounds at one gap: the median of the round medians of each side, and their difference. */
	private void measure(Connection direct, Connection proxied, boolean stream, long gapMs, int rounds)
			throws IOException {
		// About 4 s per side and round whatever the gap, at least 30 requests.
		int requests = (int) Math.max(30, Math.min(600, 4000 / (gapMs + 1)) / (this.smoke ? 10 : 1));
		long[] directMedians = new long[rounds];
		long[] proxiedMedians = new long[rounds];
		for (int round = 0; round < rounds; round++) {
			directMedians[round] = median(direct.series(stream, gapMs, requests));
			proxiedMedians[round] = median(proxied.series(stream, gapMs, requests));
		}
		long d = median(directMedians);
		long p = median(proxiedMedians);
		String what = (stream ? "streamed first token" : "plain answer") + ", p50 after " + gapMs
				+ " ms idle (" + rounds + " rounds of " + requests + ")";
		this.results.row(what, String.format("+%d µs (gateway %d µs, direct %d µs)", micros(p - d), micros(p),
				micros(d)));
	}

	private static long median(long[] values) {
		long[] sorted = values.clone();
		Arrays.sort(sorted);
		return sorted[sorted.length / 2];
	}

	private static long micros(long nanos) {
		return TimeUnit.NANOSECONDS.toMicros(nanos);
	}

	/** One keep-alive connection; requests one at a time. */
	private static final class Connection implements AutoCloseable {

		private final Socket socket;

		private final OutputStream out;

		private final InputStream in;

		private final byte[] plain;

		private final byte[] streamed;

		private final byte[] buffer = new byte[64 * 1024];

		Connection(int port) throws IOException {
			this.socket = new Socket();
			this.socket.setTcpNoDelay(true);
			this.socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
			this.socket.setSoTimeout(10_000);
			this.out = this.socket.getOutputStream();
			this.in = this.socket.getInputStream();
			this.plain = request(port, LoadClient.BODY);
			this.streamed = request(port, StreamingBenchmark.body("bench"));
		}

		private static byte[] request(int port, String body) {
			byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
			String head = "POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1:" + port
					+ "\r\nContent-Type: application/json\r\nContent-Length: " + bytes.length + "\r\n\r\n";
			byte[] head8 = head.getBytes(StandardCharsets.US_ASCII);
			byte[] all = Arrays.copyOf(head8, head8.length + bytes.length);
			System.arraycopy(bytes, 0, all, head8.length, bytes.length);
			return all;
		}

		long[] series(boolean stream, long gapMs, int requests) throws IOException {
			long[] times = new long[requests];
			for (int i = 0; i < requests; i++) {
				if (gapMs > 0) {
					LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(gapMs));
				}
				times[i] = exchange(stream);
			}
			return times;
		}

		/**
		 * Sends one request and reads its whole answer.
		 * @return nanoseconds from the send to the whole answer (plain) or to the first content delta (stream)
		 */
		long exchange(boolean stream) throws IOException {
			long started = System.nanoTime();
			this.out.write(stream ? this.streamed : this.plain);
			this.out.flush();
			int length = 0;
			int bodyStart = -1;
			long contentLength = -1;
			long first = -1;
			while (true) {
				int n = this.in.read(this.buffer, length, this.buffer.length - length);
				if (n < 0) {
					throw new IOException("the server closed the connection");
				}
				length += n;
				if (length == this.buffer.length) {
					throw new IOException("an answer larger than " + this.buffer.length + " bytes");
				}
				if (bodyStart < 0) {
					bodyStart = indexOf(this.buffer, length, CRLF2, 0);
					if (bodyStart < 0) {
						continue;
					}
					bodyStart += CRLF2.length;
					String head = new String(this.buffer, 0, bodyStart, StandardCharsets.ISO_8859_1);
					if (!head.startsWith("HTTP/1.1 200")) {
						throw new IOException("not a 200: " + head.lines().findFirst().orElse(""));
					}
					contentLength = contentLength(head);
				}
				if (stream && first < 0 && indexOf(this.buffer, length, CONTENT, bodyStart) >= 0) {
					first = System.nanoTime() - started;
				}
				if (contentLength >= 0 ? length - bodyStart >= contentLength
						: endsWith(this.buffer, length, LAST_CHUNK)) {
					break;
				}
			}
			long whole = System.nanoTime() - started;
			if (stream && first < 0) {
				throw new IOException("a stream without a content delta");
			}
			return stream ? first : whole;
		}

		private static long contentLength(String head) {
			for (String line : head.split("\r\n")) {
				int colon = line.indexOf(':');
				if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase("content-length")) {
					return Long.parseLong(line.substring(colon + 1).trim());
				}
			}
			return -1;
		}

		private static int indexOf(byte[] data, int length, byte[] pattern, int from) {
			outer: for (int i = Math.max(0, from); i <= length - pattern.length; i++) {
				for (int j = 0; j < pattern.length; j++) {
					if (data[i + j] != pattern[j]) {
						continue outer;
					}
				}
				return i;
			}
			return -1;
		}

		private static boolean endsWith(byte[] data, int length, byte[] suffix) {
			return length >= suffix.length && indexOf(data, length, suffix, length - suffix.length) >= 0;
		}

		@Override
		public void close() throws IOException {
			this.socket.close();
		}

	}

}
