package dev.llmfallback.policy;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SuggestionsTests {

	private static final List<String> RETRY = List.of("max-retries", "initial-backoff", "multiplier", "max-backoff",
			"jitter", "max-retry-after");

	@Test
	void findsTheNameATypoMeant() {
		assertThat(Suggestions.nearest("max-retires", RETRY)).hasValue("max-retries");
		assertThat(Suggestions.nearest("cooldwon", List.of("cooldown", "retry", "timeout"))).hasValue("cooldown");
		assertThat(Suggestions.nearest("max-input-token", List.of("max-input-tokens", "model", "provider")))
			.hasValue("max-input-tokens");
		assertThat(Suggestions.nearest("base_urll", List.of("base-url", "api-key", "type"))).hasValue("base-url");
	}

	@Test
	void suggestsNothingForANameFarFromEveryCandidate() {
		assertThat(Suggestions.nearest("wait", RETRY)).isEmpty();
		assertThat(Suggestions.closest("wait", RETRY)).isPresent();
	}

	@Test
	void comparesAsRelaxedBindingDoes() {
		assertThat(Suggestions.uniform("Max_Input-Tokens")).isEqualTo("maxinputtokens");
	}

	@Test
	void countsASwapOfNeighboursAsOneEdit() {
		assertThat(Suggestions.distance("cooldwon", "cooldown")).isEqualTo(1);
		assertThat(Suggestions.distance("abc", "abc")).isZero();
		assertThat(Suggestions.distance("", "abc")).isEqualTo(3);
	}

}
