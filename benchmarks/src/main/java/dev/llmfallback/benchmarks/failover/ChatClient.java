package dev.llmfallback.benchmarks.failover;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The benchmark's client: one JDK {@link HttpClient} (HTTP/1.1, kept-alive connections) that sends
 * the same small chat request to a gateway or straight to an upstream and times it. Its own cost is
 * the same for every target, so it cancels out of the differences the benchmark reports. Callers
 * block; it is only ever called from the benchmark's own threads, never from a Reactor thread.
 */
final class ChatClient {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	private final HttpClient http = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(Duration.ofSeconds(2))
		.build();

	/**
	 * A non-streamed answer.
	 * @param status the HTTP status
	 * @param servedBy the {@code x-fallback-served-by} header, or {@code null}
	 * @param attempts the {@code x-fallback-attempts} header (skips included), or -1
	 * @param nanos from sending the request to having read the whole answer
	 * @param body the answer's body
	 */
	record Reply(int status, String servedBy, int attempts, long nanos, String body) {
	}

	/**
	 * A streamed answer, read to its end.
	 * @param status the HTTP status
	 * @param servedBy the {@code x-fallback-served-by} header, or {@code null}
	 * @param firstTokenNanos from sending the request to the first event with content; -1 if none came
	 * @param contentEvents events that carried content
	 * @param errorEvent the first {@code data:} event carrying an {@code error}, or {@code null}
	 * @param done whether {@code data: [DONE]} came
	 * @param finished whether an event with a {@code finish_reason} came
	 * @param failure what went wrong while reading (a reset connection), or {@code null}
	 */
	record StreamReply(int status, String servedBy, long firstTokenNanos, int contentEvents, String errorEvent,
			boolean done, boolean finished, String failure) {
	}

	/** A request's body, built once. */
	static String body(String model, boolean stream) {
		return "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"Say hello.\"}]"
				+ (stream ? ",\"stream\":true" : "") + "}";
	}

	Reply chat(URI url, String body) throws IOException, InterruptedException {
		HttpRequest request = request(url, body);
		long start = System.nanoTime();
		HttpResponse<String> response = this.http.send(request, HttpResponse.BodyHandlers.ofString());
		long nanos = System.nanoTime() - start;
		String attempts = response.headers().firstValue("x-fallback-attempts").orElse("-1");
		return new Reply(response.statusCode(), response.headers().firstValue("x-fallback-served-by").orElse(null),
				Integer.parseInt(attempts), nanos, response.body());
	}

	StreamReply stream(URI url, String body) throws IOException, InterruptedException {
		HttpRequest request = request(url, body);
		long start = System.nanoTime();
		HttpResponse<InputStream> response = this.http.send(request, HttpResponse.BodyHandlers.ofInputStream());
		long firstToken = -1;
		int contentEvents = 0;
		String errorEvent = null;
		boolean done = false;
		boolean finished = false;
		String failure = null;
		try (BufferedReader lines = new BufferedReader(
				new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
			String line;
			while ((line = lines.readLine()) != null) {
				if (!line.startsWith("data:")) {
					continue;
				}
				if (line.contains("[DONE]")) {
					done = true;
				}
				else if (line.contains("\"error\"")) {
					errorEvent = (errorEvent != null) ? errorEvent : line;
				}
				else {
					if (line.contains("\"content\"")) {
						if (firstToken < 0) {
							firstToken = System.nanoTime() - start;
						}
						contentEvents++;
					}
					if (line.contains("\"finish_reason\":\"")) {
						finished = true;
					}
				}
			}
		}
		catch (IOException ex) {
			// A reset connection is an answer too: the client saw the stream break, not end.
			failure = ex.toString();
		}
		return new StreamReply(response.statusCode(), response.headers().firstValue("x-fallback-served-by").orElse(null),
				firstToken, contentEvents, errorEvent, done, finished, failure);
	}

	private static HttpRequest request(URI url, String body) {
		return HttpRequest.newBuilder(url)
			.timeout(TIMEOUT)
			.header("content-type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build();
	}

}
