package dev.llmfallback.engine;

import java.io.IOException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeoutException;

import dev.llmfallback.ErrorCategory;
import dev.llmfallback.LlmException;
import dev.llmfallback.LlmException.ClassificationBasis;
import reactor.core.publisher.Mono;

/** Turns whatever a call signalled into a classified {@link LlmException} naming the model. */
final class Failures {

	private static final Mono<Object> TIMED_OUT = Mono.error(TimeoutException::new);

	private Failures() {
	}

	/**
	 * What a call that timed out switches to: a {@link TimeoutException}, made on subscription,
	 * which {@link #classify} turns into the message shown. Given as the timeout's fallback, it
	 * keeps Reactor from writing a timeout message of its own, which names the source with a
	 * regular expression over its operators on every subscription (1 % of the gateway's CPU).
	 * @return a publisher that fails with a new {@link TimeoutException}
	 */
	@SuppressWarnings("unchecked")
	static <T> Mono<T> timedOut() {
		return (Mono<T>) TIMED_OUT;
	}

	/**
	 * @param failure what the provider's publisher signalled
	 * @param model the model called
	 * @param timeoutText what a timeout means for this call, e.g. "did not answer within 30s"
	 */
	static LlmException classify(Throwable failure, ModelRuntime model, String timeoutText) {
		if (failure instanceof LlmException llm) {
			if (llm.model() != null && llm.provider() != null) {
				return llm;
			}
			// The adapter's exception stays the cause, with its stack trace; the copy only adds names.
			return llm.toBuilder()
				.cause(llm)
				.withoutStackTrace()
				.model((llm.model() != null) ? llm.model() : model.name())
				.provider((llm.provider() != null) ? llm.provider() : model.providerName())
				.build();
		}
		LlmException.Builder builder;
		if (failure instanceof TimeoutException) {
			builder = LlmException.builder(ErrorCategory.TIMEOUT)
				.message("Model '" + model.name() + "' " + timeoutText)
				.basis(ClassificationBasis.TRANSPORT);
		}
		else if (failure instanceof CancellationException) {
			builder = LlmException.builder(ErrorCategory.CANCELLED).message("Call to model '" + model.name() + "' was cancelled");
		}
		else if (failure instanceof IOException) {
			builder = LlmException.builder(ErrorCategory.CONNECTION)
				.message("Provider '" + model.providerName() + "' could not be reached: " + describe(failure))
				.basis(ClassificationBasis.TRANSPORT);
		}
		else {
			builder = LlmException.builder(ErrorCategory.INVALID_RESPONSE)
				.message("Provider '" + model.providerName() + "' failed without a classified error: " + describe(failure));
		}
		return builder.cause(failure).withoutStackTrace().model(model.name()).provider(model.providerName()).build();
	}

	/** A call that ended without an answer (an empty publisher, or a stream without text nor finish). */
	static LlmException noAnswer(ModelRuntime model) {
		return LlmException.builder(ErrorCategory.INVALID_RESPONSE)
			.message("Provider '" + model.providerName() + "' ended the call to model '" + model.name()
					+ "' without an answer")
			.basis(ClassificationBasis.BODY)
			.model(model.name())
			.provider(model.providerName())
			.build();
	}

	/**
	 * A streamed tool call the caller could not run: deltas out of order, a call without id or name,
	 * arguments that are not JSON.
	 * @param model the model streaming
	 * @param what what the provider did, e.g. "began tool call 0 without an id"
	 */
	static LlmException invalidToolCall(ModelRuntime model, String what) {
		return LlmException.builder(ErrorCategory.INVALID_RESPONSE)
			.message("Provider '" + model.providerName() + "' " + what + " (model '" + model.name() + "')")
			.basis(ClassificationBasis.BODY)
			.model(model.name())
			.provider(model.providerName())
			.build();
	}

	private static String describe(Throwable failure) {
		String message = failure.getMessage();
		return failure.getClass().getSimpleName() + ((message != null) ? ": " + message : "");
	}

}
