package dev.llmfallback.event;

import java.util.Objects;

import org.jspecify.annotations.Nullable;

import dev.llmfallback.Attempt;
import dev.llmfallback.LlmException;
import dev.llmfallback.Usage;

/**
 * A model was called, or passed without a call.
 *
 * @param policy the policy being walked
 * @param attempt what happened
 * @param providerType the provider's type ({@code openai}, {@code anthropic}, ... or {@code custom})
 * @param requestModel the model id sent to the provider
 * @param responseModel the model id the provider reported, or {@code null}
 * @param usage the tokens the provider reported, or {@code null}
 * @param error the failure, or {@code null} for a success or a skip
 * @param streaming whether the call was a stream
 * @param operation what the call was: {@value #CHAT} or {@value #EMBEDDINGS}
 * @param deployment the deployment called ({@code provider/model}), or {@code null} for a skip and for
 * events built without one
 */
public record AttemptEvent(String policy, Attempt attempt, String providerType, String requestModel,
		@Nullable String responseModel, @Nullable Usage usage, @Nullable LlmException error, boolean streaming,
		String operation, @Nullable String deployment) implements FallbackEvent {

	/** The operation of a chat call or stream, as the GenAI conventions name it. */
	public static final String CHAT = "chat";

	/** The operation of an embedding call, as the GenAI conventions name it. */
	public static final String EMBEDDINGS = "embeddings";

	public AttemptEvent {
		Objects.requireNonNull(policy, "policy");
		Objects.requireNonNull(attempt, "attempt");
		Objects.requireNonNull(operation, "operation");
	}

	/** An event without its deployment (the constructor before deployments). */
	public AttemptEvent(String policy, Attempt attempt, String providerType, String requestModel,
			@Nullable String responseModel, @Nullable Usage usage, @Nullable LlmException error, boolean streaming,
			String operation) {
		this(policy, attempt, providerType, requestModel, responseModel, usage, error, streaming, operation, null);
	}

	/** A chat call (the constructor before embeddings). */
	public AttemptEvent(String policy, Attempt attempt, String providerType, String requestModel,
			@Nullable String responseModel, @Nullable Usage usage, @Nullable LlmException error, boolean streaming) {
		this(policy, attempt, providerType, requestModel, responseModel, usage, error, streaming, CHAT);
	}

}
