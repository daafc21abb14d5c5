package dev.llmfallback.provider.http;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpHeaders;

/**
 * Reads how long a provider asked the caller to wait from its response headers:
 * <ol>
 * <li>{@code retry-after-ms} (milliseconds; OpenAI, Azure);</li>
 * <li>{@code Retry-After} (seconds, or an HTTP date);</li>
 * <li>for rate limits only, the reset headers of the exhausted limit: OpenAI-style
 * {@code x-ratelimit-reset-requests}/{@code -tokens} ({@code 1s}, {@code 6m0s}, {@code 20ms}) and
 * Anthropic's {@code anthropic-ratelimit-*-reset} (RFC 3339 instants).</li>
 * </ol>
 */
final class RetryAfter {

	private static final Pattern GO_DURATION = Pattern.compile("(?:(\\d+(?:\\.\\d+)?)(ms|h|m|s))+");

	private static final Pattern GO_PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|h|m|s)");

	private static final Pattern NUMBER = Pattern.compile("\\d+(?:\\.\\d+)?");

	/** Pairs of (remaining, reset) headers; a pair whose remaining is 0 names the limit that was hit. */
	private static final List<String[]> RESET_HEADERS = List.of(
			new String[] { "x-ratelimit-remaining-requests", "x-ratelimit-reset-requests" },
			new String[] { "x-ratelimit-remaining-tokens", "x-ratelimit-reset-tokens" },
			new String[] { "anthropic-ratelimit-requests-remaining", "anthropic-ratelimit-requests-reset" },
			new String[] { "anthropic-ratelimit-tokens-remaining", "anthropic-ratelimit-tokens-reset" },
			new String[] { "anthropic-ratelimit-input-tokens-remaining", "anthropic-ratelimit-input-tokens-reset" },
			new String[] { "anthropic-ratelimit-output-tokens-remaining", "anthropic-ratelimit-output-tokens-reset" });

	private RetryAfter() {
	}

	/**
	 * The explicit wait of {@code retry-after-ms} or {@code Retry-After}.
	 * @param headers the response headers (may be {@code null})
	 * @param clock the clock to measure an HTTP date against
	 * @return the wait, or {@code null}
	 */
	static @Nullable Duration explicit(@Nullable HttpHeaders headers, Clock clock) {
		if (headers == null) {
			return null;
		}
		String millis = headers.getFirst("retry-after-ms");
		if (millis != null && NUMBER.matcher(millis.trim()).matches()) {
			return Duration.ofMillis(Math.round(Double.parseDouble(millis.trim())));
		}
		String value = headers.getFirst(HttpHeaders.RETRY_AFTER);
		return (value != null) ? parseRetryAfter(value, clock) : null;
	}

	/**
	 * The wait until the exhausted rate limit resets, from the reset headers.
	 * @param headers the response headers (may be {@code null})
	 * @param clock the clock to measure instants against
	 * @return the wait, or {@code null}
	 */
	static @Nullable Duration reset(@Nullable HttpHeaders headers, Clock clock) {
		if (headers == null) {
			return null;
		}
		Duration exhausted = null;
		Duration any = null;
		for (String[] pair : RESET_HEADERS) {
			String reset = headers.getFirst(pair[1]);
			Duration wait = (reset != null) ? parseReset(reset, clock) : null;
			if (wait == null) {
				continue;
			}
			any = max(any, wait);
			String remaining = headers.getFirst(pair[0]);
			if (remaining != null && remaining.trim().equals("0")) {
				exhausted = max(exhausted, wait);
			}
		}
		return (exhausted != null) ? exhausted : any;
	}

	private static final Pattern IN_MESSAGE = Pattern.compile(
			"(?:try again|retry) (?:in|after) ((?:\\d+(?:\\.\\d+)?(?:ms|h|m|s))+|\\d+(?:\\.\\d+)? ?(?:milliseconds?|seconds?|secs?|minutes?|mins?))\\b",
			Pattern.CASE_INSENSITIVE);

	/**
	 * The wait a message asks for in words: "Please try again in 6m0s", "retry after 60 seconds".
	 * @param message the provider's message
	 * @return the wait, or {@code null}
	 */
	static @Nullable Duration fromMessage(String message) {
		Matcher matcher = IN_MESSAGE.matcher(message);
		if (!matcher.find()) {
			return null;
		}
		String value = matcher.group(1).toLowerCase(Locale.ROOT).replace(" ", "");
		if (GO_DURATION.matcher(value).matches()) {
			return parseReset(value, Clock.systemUTC());
		}
		Matcher number = Pattern.compile("(\\d+(?:\\.\\d+)?)(\\D+)").matcher(value);
		if (!number.matches()) {
			return null;
		}
		double amount = Double.parseDouble(number.group(1));
		double millis = number.group(2).startsWith("mil") ? amount
				: number.group(2).startsWith("min") ? amount * 60_000 : amount * 1000;
		return Duration.ofMillis(Math.round(millis));
	}

	/**
	 * Parses a {@code Retry-After} value: delay seconds or an HTTP date.
	 * @param value the header value
	 * @param clock the clock
	 * @return the wait (never negative), or {@code null} if the value is neither
	 */
	static @Nullable Duration parseRetryAfter(String value, Clock clock) {
		String trimmed = value.trim();
		if (NUMBER.matcher(trimmed).matches()) {
			return Duration.ofMillis(Math.round(Double.parseDouble(trimmed) * 1000));
		}
		try {
			ZonedDateTime date = ZonedDateTime.parse(trimmed, DateTimeFormatter.RFC_1123_DATE_TIME);
			return nonNegative(Duration.between(clock.instant(), date.toInstant()));
		}
		catch (DateTimeParseException ex) {
			return null;
		}
	}

	/**
	 * Parses a reset value: a Go-style duration ({@code 6m0s}), seconds, or an RFC 3339 instant.
	 * @param value the header value
	 * @param clock the clock
	 * @return the wait (never negative), or {@code null}
	 */
	static @Nullable Duration parseReset(String value, Clock clock) {
		String trimmed = value.trim().toLowerCase(Locale.ROOT);
		if (GO_DURATION.matcher(trimmed).matches()) {
			Duration total = Duration.ZERO;
			Matcher part = GO_PART.matcher(trimmed);
			while (part.find()) {
				double amount = Double.parseDouble(part.group(1));
				double millis = switch (part.group(2)) {
					case "h" -> amount * 3_600_000;
					case "m" -> amount * 60_000;
					case "s" -> amount * 1000;
					default -> amount;
				};
				total = total.plusMillis(Math.round(millis));
			}
			return total;
		}
		if (NUMBER.matcher(trimmed).matches()) {
			return Duration.ofMillis(Math.round(Double.parseDouble(trimmed) * 1000));
		}
		try {
			Instant instant = OffsetDateTime.parse(value.trim()).toInstant();
			return nonNegative(Duration.between(clock.instant(), instant));
		}
		catch (DateTimeParseException ex) {
			return null;
		}
	}

	private static Duration nonNegative(Duration duration) {
		return duration.isNegative() ? Duration.ZERO : duration;
	}

	private static Duration max(@Nullable Duration a, Duration b) {
		return (a == null || b.compareTo(a) > 0) ? b : a;
	}

}
