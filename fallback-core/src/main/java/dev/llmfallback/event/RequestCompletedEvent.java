package dev.llmfallback.event;

import java.time.Duration;
import java.util.List;

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
 */
public record RequestCompletedEvent(String policy, @Nullable String servedBy, String outcome, List<Attempt> attempts,
		int fallbacks, Duration duration, @Nullable LlmException error, boolean streaming) implements FallbackEvent {

	public RequestCompletedEvent {
		attempts = List.copyOf(attempts);
	}

}
