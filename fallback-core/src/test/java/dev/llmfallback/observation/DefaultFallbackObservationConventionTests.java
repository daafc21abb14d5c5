package dev.llmfallback.observation;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.micrometer.common.KeyValue;
import io.micrometer.common.KeyValues;
import org.junit.jupiter.api.Test;

import dev.llmfallback.Attempt;
import dev.llmfallback.AttemptKind;
import dev.llmfallback.ErrorCategory;

import static org.assertj.core.api.Assertions.assertThat;

class DefaultFallbackObservationConventionTests {

	private final DefaultFallbackObservationConvention convention = new DefaultFallbackObservationConvention();

	@Test
	void lowCardinalityKeyValuesNameThePolicyOutcomeModelHopsAndStream() {
		assertThat(this.convention.getLowCardinalityKeyValues(served("chat", "gpt", false, hopped(2))))
			.containsExactly(KeyValue.of("fallbacks", "2"), KeyValue.of("outcome", "success"),
					KeyValue.of("policy", "chat"), KeyValue.of("served.by", "gpt"),
					KeyValue.of("stream", "false"));
		assertThat(this.convention.getLowCardinalityKeyValues(new FallbackObservationContext("chat", true)))
			.contains(KeyValue.of("outcome", KeyValue.NONE_VALUE),
					KeyValue.of("served.by", KeyValue.NONE_VALUE),
					KeyValue.of("stream", "true"));
	}

	@Test
	void eachCombinationGetsItsOwnValuesWhenTheyAreReused() {
		KeyValues first = this.convention.getLowCardinalityKeyValues(served("chat", "gpt", false, hopped(0)));
		assertThat(this.convention.getLowCardinalityKeyValues(served("chat", "gpt", false, hopped(0))))
			.isSameAs(first);
		assertThat(this.convention.getLowCardinalityKeyValues(served("chat", "claude", false, hopped(0))))
			.contains(KeyValue.of("served.by", "claude"));
		assertThat(this.convention.getLowCardinalityKeyValues(served("chat", "gpt", true, hopped(0))))
			.contains(KeyValue.of("stream", "true"));
		assertThat(this.convention.getLowCardinalityKeyValues(served("chat", "gpt", false, hopped(5))))
			.contains(KeyValue.of("fallbacks", "3+"));
		FallbackObservationContext failed = served("chat", "gpt", false, hopped(0));
		failed.setOutcome("rate_limit");
		assertThat(this.convention.getLowCardinalityKeyValues(failed))
			.contains(KeyValue.of("outcome", "rate_limit"));
		assertThat(this.convention.getLowCardinalityKeyValues(served("other", "gpt", false, hopped(0))))
			.contains(KeyValue.of("policy", "other"));
	}

	@Test
	void theKeptSetsAreBoundedAndPastTheBoundEveryRequestStillGetsItsOwnValues() {
		for (int i = 0; i < DefaultFallbackObservationConvention.MAX_CACHED + 10; i++) {
			assertThat(this.convention.getLowCardinalityKeyValues(served("policy-" + i, "gpt", false, hopped(0))))
				.contains(KeyValue.of("policy", "policy-" + i));
		}
		assertThat(this.convention.cachedSets()).isEqualTo(DefaultFallbackObservationConvention.MAX_CACHED);
	}

	@Test
	void aSubclassOverridingAPartIsAskedOnEveryRequest() {
		DefaultFallbackObservationConvention renamed = new DefaultFallbackObservationConvention() {

			private int calls;

			@Override
			protected KeyValue servedBy(FallbackObservationContext context) {
				return KeyValue.of("served.by", context.getServedBy() + "#" + (++this.calls));
			}

		};
		assertThat(renamed.getLowCardinalityKeyValues(served("chat", "gpt", false, hopped(0))))
			.contains(KeyValue.of("served.by", "gpt#1"));
		assertThat(renamed.getLowCardinalityKeyValues(served("chat", "gpt", false, hopped(0))))
			.contains(KeyValue.of("served.by", "gpt#2"));
	}

	private static FallbackObservationContext served(String policy, String model, boolean streaming,
			List<Attempt> attempts) {
		FallbackObservationContext context = new FallbackObservationContext(policy, streaming);
		context.setOutcome("success");
		context.setServedBy(model);
		context.setAttempts(attempts);
		return context;
	}

	/** Attempts on alternating models: {@code hops} hops, then a success. */
	private static List<Attempt> hopped(int hops) {
		ArrayList<Attempt> attempts = new ArrayList<>();
		for (int i = 0; i < hops; i++) {
			attempts.add(Attempt.failure("m" + i, "p", (i == 0) ? AttemptKind.PRIMARY : AttemptKind.FALLBACK,
					ErrorCategory.SERVER_ERROR, 503, Duration.ofMillis(1)));
		}
		attempts.add(Attempt.success("m" + hops, "p", (hops == 0) ? AttemptKind.PRIMARY : AttemptKind.FALLBACK,
				Duration.ofMillis(1)));
		return attempts;
	}

}
