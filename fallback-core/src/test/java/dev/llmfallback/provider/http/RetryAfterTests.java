package dev.llmfallback.provider.http;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

import org.springframework.http.HttpHeaders;

import static org.assertj.core.api.Assertions.assertThat;

/** Tests for {@link RetryAfter}. */
class RetryAfterTests {

	private static final Clock CLOCK = Clock.fixed(Instant.parse("2015-10-21T07:28:00Z"), ZoneOffset.UTC);

	@Test
	void retryAfterSeconds() {
		assertThat(RetryAfter.explicit(headers("Retry-After", "120"), CLOCK)).isEqualTo(Duration.ofSeconds(120));
	}

	@Test
	void retryAfterHttpDate() {
		// The example of RFC 9110, section 10.2.3.
		assertThat(RetryAfter.explicit(headers("Retry-After", "Wed, 21 Oct 2015 07:28:30 GMT"), CLOCK))
			.isEqualTo(Duration.ofSeconds(30));
	}

	@Test
	void retryAfterDateInThePastIsZero() {
		assertThat(RetryAfter.explicit(headers("Retry-After", "Wed, 21 Oct 2015 07:00:00 GMT"), CLOCK)).isZero();
	}

	@Test
	void retryAfterMsWinsOverRetryAfter() {
		HttpHeaders headers = headers("Retry-After", "2");
		headers.set("retry-after-ms", "1500");
		assertThat(RetryAfter.explicit(headers, CLOCK)).isEqualTo(Duration.ofMillis(1500));
	}

	@Test
	void garbageRetryAfterIsIgnored() {
		assertThat(RetryAfter.explicit(headers("Retry-After", "soon"), CLOCK)).isNull();
	}

	@Test
	void goStyleResetDurations() {
		assertThat(RetryAfter.parseReset("1s", CLOCK)).isEqualTo(Duration.ofSeconds(1));
		assertThat(RetryAfter.parseReset("6m0s", CLOCK)).isEqualTo(Duration.ofMinutes(6));
		assertThat(RetryAfter.parseReset("20ms", CLOCK)).isEqualTo(Duration.ofMillis(20));
		assertThat(RetryAfter.parseReset("1h2m3.5s", CLOCK)).isEqualTo(Duration.ofMillis(3_723_500));
	}

	@Test
	void rfc3339ResetInstant() {
		assertThat(RetryAfter.parseReset("2015-10-21T07:29:00Z", CLOCK)).isEqualTo(Duration.ofMinutes(1));
	}

	@Test
	void resetOfTheExhaustedLimitWins() {
		HttpHeaders headers = new HttpHeaders();
		headers.set("x-ratelimit-remaining-requests", "0");
		headers.set("x-ratelimit-reset-requests", "2s");
		headers.set("x-ratelimit-remaining-tokens", "5000");
		headers.set("x-ratelimit-reset-tokens", "30s");
		assertThat(RetryAfter.reset(headers, CLOCK)).isEqualTo(Duration.ofSeconds(2));
	}

	@Test
	void waitsInMessages() {
		assertThat(RetryAfter.fromMessage("Please try again in 5.874s. Visit ...")).isEqualTo(Duration.ofMillis(5874));
		assertThat(RetryAfter.fromMessage("Please try again in 14m24s.")).isEqualTo(Duration.ofSeconds(864));
		assertThat(RetryAfter.fromMessage("Please retry after 60 seconds.")).isEqualTo(Duration.ofSeconds(60));
		assertThat(RetryAfter.fromMessage("Please try again later.")).isNull();
	}

	private static HttpHeaders headers(String name, String value) {
		HttpHeaders headers = new HttpHeaders();
		headers.set(name, value);
		return headers;
	}

}
