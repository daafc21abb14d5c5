package dev.llmfallback.observation;

import java.util.List;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

import io.micrometer.observation.Observation;

import dev.llmfallback.Attempt;

/**
 * What the engine knows of a request it observes: the policy at the start, then how the request
 * ended. The outcome is {@code null} until then.
 */
public class FallbackObservationContext extends Observation.Context {

	private final String policy;

	private final boolean streaming;

	private final String operation;

	private @Nullable String outcome;

	private @Nullable String servedBy;

	private List<Attempt> attempts = List.of();

	public FallbackObservationContext(String policy, boolean streaming) {
		this(policy, streaming, "chat");
	}

	/**
	 * The context of one request.
	 * @param policy the policy walked
	 * @param streaming whether the request is a stream
	 * @param operation {@code chat} or {@code embeddings}
	 */
	public FallbackObservationContext(String policy, boolean streaming, String operation) {
		this.policy = Objects.requireNonNull(policy, "policy");
		this.streaming = streaming;
		this.operation = Objects.requireNonNull(operation, "operation");
	}

	/** @return {@code chat} or {@code embeddings} */
	public String getOperation() {
		return this.operation;
	}

	/** @return the policy walked */
	public String getPolicy() {
		return this.policy;
	}

	/** @return whether the request is a stream */
	public boolean isStreaming() {
		return this.streaming;
	}

	/** @return {@code success}, the error category that ended the request, or {@code null} while it runs */
	public @Nullable String getOutcome() {
		return this.outcome;
	}

	public void setOutcome(@Nullable String outcome) {
		this.outcome = outcome;
	}

	/** @return the configured model that answered, or {@code null} */
	public @Nullable String getServedBy() {
		return this.servedBy;
	}

	public void setServedBy(@Nullable String servedBy) {
		this.servedBy = servedBy;
	}

	/** @return every call and skip of the walk, once it ended */
	public List<Attempt> getAttempts() {
		return this.attempts;
	}

	public void setAttempts(List<Attempt> attempts) {
		this.attempts = (attempts != null) ? attempts : List.of();
	}

}
