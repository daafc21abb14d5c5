package dev.llmfallback.engine;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.random.RandomGenerator;

import org.jspecify.annotations.Nullable;
import org.springframework.core.retry.RetryPolicy;

import dev.llmfallback.ErrorCategory;
import dev.llmfallback.LlmException;
import dev.llmfallback.policy.FallbackPolicy;
import dev.llmfallback.policy.ModelType;

/**
 * A policy resolved against the engine's models, with everything a walk needs computed once.
 * Built at start-up and shared by every request of the policy.
 */
final class CompiledPolicy {

	private final FallbackPolicy policy;

	private final List<ModelRuntime> chain;

	private final List<ModelRuntime> contextWindowFallbacks;

	private final List<ModelRuntime> contentPolicyFallbacks;

	private final RetryPolicy retryPolicy;

	/** The smallest known window of any model the policy may call; 0 when none is known. */
	private final long smallestWindow;

	private final DeploymentRouter router;

	private final @Nullable Hedge hedge;

	/** Each thread's own generator, so weighted picks never contend. */
	private static final RandomGenerator THREAD_LOCAL_RANDOM = () -> ThreadLocalRandom.current().nextLong();

	CompiledPolicy(FallbackPolicy policy, List<ModelRuntime> chain, List<ModelRuntime> contextWindowFallbacks,
			List<ModelRuntime> contentPolicyFallbacks) {
		this(policy, chain, contextWindowFallbacks, contentPolicyFallbacks, StateStore.local(), THREAD_LOCAL_RANDOM);
	}

	CompiledPolicy(FallbackPolicy policy, List<ModelRuntime> chain, List<ModelRuntime> contextWindowFallbacks,
			List<ModelRuntime> contentPolicyFallbacks, StateStore store, @Nullable RandomGenerator random) {
		this.policy = policy;
		this.router = DeploymentRouter.of(policy.routing(), (random != null) ? random : THREAD_LOCAL_RANDOM);
		this.hedge = Hedge.of(policy.hedge(), policy.name(), store);
		this.chain = List.copyOf(chain);
		this.contextWindowFallbacks = List.copyOf(contextWindowFallbacks);
		this.contentPolicyFallbacks = List.copyOf(contentPolicyFallbacks);
		this.retryPolicy = policy.retry().toRetryPolicy(policy.retryOn());
		long smallest = 0;
		for (List<ModelRuntime> models : List.of(chain, contextWindowFallbacks, contentPolicyFallbacks)) {
			for (ModelRuntime model : models) {
				if (model.maxInputTokens() > 0 && (smallest == 0 || model.maxInputTokens() < smallest)) {
					smallest = model.maxInputTokens();
				}
			}
		}
		this.smallestWindow = smallest;
	}

	FallbackPolicy policy() {
		return this.policy;
	}

	String name() {
		return this.policy.name();
	}

	/** @return what the policy's models are for (the assembly checks they agree) */
	ModelType type() {
		return this.chain.isEmpty() ? ModelType.CHAT : this.chain.get(0).type();
	}

	List<ModelRuntime> chain() {
		return this.chain;
	}

	List<ModelRuntime> contextWindowFallbacks() {
		return this.contextWindowFallbacks;
	}

	List<ModelRuntime> contentPolicyFallbacks() {
		return this.contentPolicyFallbacks;
	}

	DeploymentRouter router() {
		return this.router;
	}

	/** @return the policy's hedging, or {@code null} when it never hedges */
	@Nullable Hedge hedge() {
		return this.hedge;
	}

	long smallestWindow() {
		return this.smallestWindow;
	}

	int maxAttempts() {
		return this.policy.maxAttempts();
	}

	Duration deadline() {
		return this.policy.deadline();
	}

	RetryPolicy retryPolicy() {
		return this.retryPolicy;
	}

	boolean retries(LlmException error) {
		return this.retryPolicy.shouldRetry(error);
	}

	boolean fallsBackOn(ErrorCategory category) {
		return this.policy.fallbackOn().contains(category);
	}

}
