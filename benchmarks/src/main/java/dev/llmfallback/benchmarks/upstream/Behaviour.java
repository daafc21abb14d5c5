package dev.llmfallback.benchmarks.upstream;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * How a {@link BenchUpstream} port answers, immutable. Built from {@link #ok()} and the {@code with*}
 * methods, or parsed from a query string such as {@code mode=status_503&retryAfter=1s} (the control
 * endpoint's form).
 *
 * @param mode what every request on the port gets
 * @param delay time before the status line (and, streamed, before the first chunk)
 * @param chunks content chunks in a stream (before the final chunk and {@code [DONE]})
 * @param chunkInterval pause between two chunks
 * @param retryAfter the {@code Retry-After} header of a 429 or 503; zero for none
 */
public record Behaviour(Mode mode, Duration delay, int chunks, Duration chunkInterval, Duration retryAfter) {

	/** What a port does with each request. */
	public enum Mode {

		/** A 200 with a small fixed reply, or a stream of {@code chunks} chunks. */
		OK,

		/** A 503 with OpenAI's error envelope (and {@code Retry-After} if set). */
		STATUS_503,

		/** A 429 with OpenAI's error envelope (and {@code Retry-After} if set). */
		STATUS_429,

		/** The connection is accepted and the request read; nothing is ever answered. */
		HANG,

		/** The status line and headers come only after {@code delay}, then a normal reply. */
		SLOW_HEADERS,

		/** A stream sends half its chunks, then the connection is closed without {@code [DONE]}. */
		ABORT_MID_STREAM,

		/** A stream sends half its chunks, then an {@code error} event, then ends. */
		ERROR_EVENT_MID_STREAM

	}

	public Behaviour {
		Objects.requireNonNull(mode, "mode");
		Objects.requireNonNull(delay, "delay");
		Objects.requireNonNull(chunkInterval, "chunkInterval");
		Objects.requireNonNull(retryAfter, "retryAfter");
		if (chunks < 1) {
			throw new IllegalArgumentException("chunks must be at least 1, was " + chunks);
		}
	}

	/** @return immediate 200s, streams of 8 chunks with no pause */
	public static Behaviour ok() {
		return new Behaviour(Mode.OK, Duration.ZERO, 8, Duration.ZERO, Duration.ZERO);
	}

	public static Behaviour of(Mode mode) {
		return ok().withMode(mode);
	}

	public Behaviour withMode(Mode mode) {
		return new Behaviour(mode, this.delay, this.chunks, this.chunkInterval, this.retryAfter);
	}

	public Behaviour withDelay(Duration delay) {
		return new Behaviour(this.mode, delay, this.chunks, this.chunkInterval, this.retryAfter);
	}

	public Behaviour withChunks(int chunks, Duration interval) {
		return new Behaviour(this.mode, this.delay, chunks, interval, this.retryAfter);
	}

	public Behaviour withRetryAfter(Duration retryAfter) {
		return new Behaviour(this.mode, this.delay, this.chunks, this.chunkInterval, retryAfter);
	}

	/**
	 * Applies query parameters ({@code mode}, {@code delay}, {@code chunks}, {@code chunkInterval},
	 * {@code retryAfter}; durations as {@code 20ms}, {@code 2s} or ISO-8601) to this behaviour.
	 * @param parameters the parameters, by name
	 * @return the changed behaviour
	 */
	public Behaviour with(Map<String, String> parameters) {
		Behaviour result = this;
		for (Map.Entry<String, String> parameter : parameters.entrySet()) {
			String value = parameter.getValue();
			result = switch (parameter.getKey()) {
				case "mode" -> result.withMode(Mode.valueOf(value.toUpperCase(Locale.ROOT)));
				case "delay" -> result.withDelay(duration(value));
				case "chunks" -> result.withChunks(Integer.parseInt(value), result.chunkInterval);
				case "chunkInterval" -> result.withChunks(result.chunks, duration(value));
				case "retryAfter" -> result.withRetryAfter(duration(value));
				default -> throw new IllegalArgumentException("unknown behaviour parameter '" + parameter.getKey()
						+ "' (known: mode, delay, chunks, chunkInterval, retryAfter)");
			};
		}
		return result;
	}

	/**
	 * Parses {@code 250us}, {@code 20ms}, {@code 2s}, {@code 1m} or an ISO-8601 duration.
	 * @param text the duration
	 * @return the duration
	 */
	public static Duration duration(String text) {
		String value = text.trim().toLowerCase(Locale.ROOT);
		if (value.startsWith("p")) {
			return Duration.parse(value.toUpperCase(Locale.ROOT));
		}
		if (value.endsWith("us")) {
			return Duration.ofNanos(Long.parseLong(value.substring(0, value.length() - 2)) * 1000);
		}
		if (value.endsWith("ms")) {
			return Duration.ofMillis(Long.parseLong(value.substring(0, value.length() - 2)));
		}
		if (value.endsWith("s")) {
			return Duration.ofMillis(Math.round(Double.parseDouble(value.substring(0, value.length() - 1)) * 1000));
		}
		if (value.endsWith("m")) {
			return Duration.ofMinutes(Long.parseLong(value.substring(0, value.length() - 1)));
		}
		return Duration.ofMillis(Long.parseLong(value));
	}

	@Override
	public String toString() {
		return this.mode.name().toLowerCase(Locale.ROOT) + "(delay " + this.delay.toMillis() + " ms, " + this.chunks
				+ " chunks every " + this.chunkInterval.toMillis() + " ms"
				+ (this.retryAfter.isZero() ? "" : ", retry-after " + this.retryAfter.toSeconds() + " s") + ")";
	}

}
