package dev.llmfallback.benchmarks.gateway;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * wrk (Debian's package), the lowest-cost closed-loop generator at hand, driven with a Lua script
 * that posts the same chat request as the Java generators, its output ({@code --latency}) parsed.
 * Used for the maximum throughput, where the generator's own cost matters most.
 */
final class Wrk {

	private static final Pattern RPS = Pattern.compile("Requests/sec:\\s+([0-9.]+)");

	private static final Pattern PERCENTILE = Pattern.compile("^\\s+(50|75|90|99)%\\s+([0-9.]+)(us|ms|s)\\s*$",
			Pattern.MULTILINE);

	private static final Pattern NON_2XX = Pattern.compile("Non-2xx or 3xx responses:\\s+(\\d+)");

	private static final Pattern SOCKET_ERRORS = Pattern
		.compile("Socket errors: connect (\\d+), read (\\d+), write (\\d+), timeout (\\d+)");

	private final Path script;

	private Wrk(Path script) {
		this.script = script;
	}

	/**
	 * @param directory where the Lua script is written
	 * @return wrk, or {@code null} if it is not installed
	 * @throws IOException if the script cannot be written
	 */
	static Wrk findOrNull(Path directory) throws IOException {
		return findOrNull(directory, "gateway-wrk.lua", LoadClient.BODY, java.util.Map.of());
	}

	/**
	 * wrk with a script of its own: another body, or more headers (a peer gateway's configuration).
	 * @param directory where the Lua script is written
	 * @param scriptName the script's file name
	 * @param body the chat request's JSON
	 * @param headers headers added to every request
	 * @return wrk, or {@code null} if it is not installed
	 * @throws IOException if the script cannot be written
	 */
	static Wrk findOrNull(Path directory, String scriptName, String body, java.util.Map<String, String> headers)
			throws IOException {
		try {
			Process probe = new ProcessBuilder("wrk", "--version").redirectErrorStream(true).start();
			probe.getInputStream().readAllBytes();
			probe.waitFor(10, TimeUnit.SECONDS);
		}
		catch (IOException ex) {
			return null;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return null;
		}
		Files.createDirectories(directory);
		Path script = directory.resolve(scriptName);
		StringBuilder lua = new StringBuilder("wrk.method = \"POST\"\n")
			.append("wrk.headers[\"Content-Type\"] = \"application/json\"\n");
		// Long brackets: JSON values carry double quotes, and none of them holds "]]".
		headers.forEach((name, value) -> lua.append("wrk.headers[\"").append(name).append("\"] = [[").append(value).append("]]\n"));
		lua.append("wrk.body = [[").append(body).append("]]\n");
		Files.writeString(script, lua, StandardCharsets.UTF_8);
		return new Wrk(script);
	}

	/**
	 * What one wrk run measured.
	 * @param rps requests per second
	 * @param p50Micros median latency
	 * @param p99Micros 99th percentile latency
	 * @param errors non-2xx answers and socket errors
	 * @param output wrk's whole output
	 */
	record Run(double rps, double p50Micros, double p99Micros, long errors, String output) {
	}

	/**
	 * Runs wrk and parses its output.
	 * @param url the chat completions URL
	 * @param threads wrk's threads
	 * @param connections connections (requests in flight)
	 * @param duration the run's length
	 * @return what it measured
	 * @throws IOException if wrk fails or its output cannot be read
	 */
	Run run(String url, int threads, int connections, Duration duration) throws IOException, InterruptedException {
		Process process = new ProcessBuilder(List.of("wrk", "-t" + threads, "-c" + connections,
				"-d" + duration.toSeconds() + "s", "--latency", "-s", this.script.toString(), url))
			.redirectErrorStream(true)
			.start();
		String output;
		try {
			output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			if (!process.waitFor(duration.toSeconds() + 30, TimeUnit.SECONDS)) {
				throw new IOException("wrk did not end");
			}
		}
		finally {
			process.destroyForcibly();
		}
		Matcher rps = RPS.matcher(output);
		if (process.exitValue() != 0 || !rps.find()) {
			throw new IOException("wrk failed (exit " + process.exitValue() + "): " + output);
		}
		double p50 = Double.NaN;
		double p99 = Double.NaN;
		Matcher percentile = PERCENTILE.matcher(output);
		while (percentile.find()) {
			double micros = Double.parseDouble(percentile.group(2)) * switch (percentile.group(3)) {
				case "us" -> 1;
				case "ms" -> 1_000;
				default -> 1_000_000;
			};
			if (percentile.group(1).equals("50")) {
				p50 = micros;
			}
			else if (percentile.group(1).equals("99")) {
				p99 = micros;
			}
		}
		long errors = 0;
		Matcher non2xx = NON_2XX.matcher(output);
		if (non2xx.find()) {
			errors += Long.parseLong(non2xx.group(1));
		}
		Matcher socket = SOCKET_ERRORS.matcher(output);
		if (socket.find()) {
			for (int group = 1; group <= 4; group++) {
				errors += Long.parseLong(socket.group(group));
			}
		}
		return new Run(Double.parseDouble(rps.group(1)), p50, p99, errors, output);
	}

}
