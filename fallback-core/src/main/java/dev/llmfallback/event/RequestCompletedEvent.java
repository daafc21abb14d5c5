package dev.llmfallback.event;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

import dev.llmfallback.Attempt;
import dev.llmfallback.LlmException;

/**
 * A request ended: served, failed, or cancelled by its caller.
 *
 * @param policy the policy walked
 * @param servedBy the model that answered, or {@code null} when none did
 * @param outcome {@code success}, or the category of the failure that ended the request
 * ({@code cancelled} when the caller cancelled)
 * @param attempts every call and skip of the walk
 * @param fallbacks the hops the walk made
 * @param duration from the request's start to its end
 * @param error the failure, or {@code null} for a success
 * @param streaming whether the request was a stream
 * @param operation what the request was: {@value AttemptEvent#CHAT} or {@value AttemptEvent#EMBEDDINGS}
 */
public record RequestCompletedEvent(String policy, @Nullable String servedBy, String outcome, List<Attempt> attempts,
		int fallbacks, Duration duration, @Nullable LlmException error, boolean streaming,
		String operation) implements FallbackEvent {

	public RequestCompletedEvent {
		attempts = List.copyOf(attempts);
		Objects.requireNonNull(operation, "operation");
	}

	/** A chat request's end (the constructor before embeddings). */
	public RequestCompletedEvent(String policy, @Nullable String servedBy, String outcome, List<Attempt> attempts,
			int fallbacks, Duration duration, @Nullable LlmException error, boolean streaming) {
		this(policy, servedBy, outcome, attempts, fallbacks, duration, error, streaming, AttemptEvent.CHAT);
	}

}
