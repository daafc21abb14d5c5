package dev.llmfallback.provider;

import java.time.Duration;
import java.util.function.Consumer;

import dev.llmfallback.ErrorCategory;
import dev.llmfallback.LlmException;
import dev.llmfallback.LlmException.ClassificationBasis;
import org.reactivestreams.Publisher;
import reactor.test.StepVerifier;

import static org.assertj.core.api.Assertions.assertThat;

/** Assertions on the classified failure of a call or a stream. */
public final class Failures {

	private Failures() {
	}

	/**
	 * Asserts that the publisher fails, within 10 s, with an {@link LlmException} of the category
	 * and basis, and returns it.
	 */
	public static LlmException expectFailure(Publisher<?> publisher, ErrorCategory category, ClassificationBasis basis) {
		LlmException[] caught = new LlmException[1];
		StepVerifier.create(publisher)
			.thenConsumeWhile((item) -> true)
			.expectErrorSatisfies(failure(category, basis, (ex) -> caught[0] = ex))
			.verify(Duration.ofSeconds(10));
		return caught[0];
	}

	private static Consumer<Throwable> failure(ErrorCategory category, ClassificationBasis basis,
			Consumer<LlmException> then) {
		return (failure) -> {
			assertThat(failure).isInstanceOf(LlmException.class);
			LlmException exception = (LlmException) failure;
			assertThat(exception.category()).as("category of: " + exception.getMessage()).isEqualTo(category);
			if (basis != null) {
				assertThat(exception.basis()).as("basis of: " + exception.getMessage()).isEqualTo(basis);
			}
			then.accept(exception);
		};
	}

}
