package dev.llmfallback.engine;

import java.util.List;

import org.springframework.core.retry.RetryPolicy;

import dev.llmfallback.ErrorCategory;
import dev.llmfallback.LlmException;
import dev.llmfallback.policy.FallbackPolicy;

/** A policy resolved against the engine's models, with everything a walk needs computed once. */
final class CompiledPolicy {

	final FallbackPolicy policy;

	final String name;

	final List<ModelRuntime> chain;

	final List<ModelRuntime> contextWindowFallbacks;

	final List<ModelRuntime> contentPolicyFallbacks;

	final RetryPolicy retryPolicy;

	/** The smallest known window of any model the policy may call; 0 when none is known. */
	final long smallestWindow;

	CompiledPolicy(FallbackPolicy policy, List<ModelRuntime> chain, List<ModelRuntime> contextWindowFallbacks,
			List<ModelRuntime> contentPolicyFallbacks) {
		this.policy = policy;
		this.name = policy.name();
		this.chain = List.copyOf(chain);
		this.contextWindowFallbacks = List.copyOf(contextWindowFallbacks);
		this.contentPolicyFallbacks = List.copyOf(contentPolicyFallbacks);
		this.retryPolicy = policy.retry().toRetryPolicy(policy.retryOn());
		long smallest = 0;
		for (List<ModelRuntime> models : List.of(chain, contextWindowFallbacks, contentPolicyFallbacks)) {
			for (ModelRuntime model : models) {
				if (model.maxInputTokens > 0 && (smallest == 0 || model.maxInputTokens < smallest)) {
					smallest = model.maxInputTokens;
				}
			}
		}
		this.smallestWindow = smallest;
	}

	boolean retries(LlmException error) {
		return this.retryPolicy.shouldRetry(error);
	}

	boolean fallsBackOn(ErrorCategory category) {
		return this.policy.fallbackOn().contains(category);
	}

}
