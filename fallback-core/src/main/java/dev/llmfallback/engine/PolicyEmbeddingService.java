package dev.llmfallback.engine;

import java.util.Map;
import java.util.Objects;

import reactor.core.publisher.Mono;

import dev.llmfallback.EmbeddingRequest;
import dev.llmfallback.EmbeddingResponse;
import dev.llmfallback.EmbeddingService;
import dev.llmfallback.ErrorCategory;
import dev.llmfallback.LlmException;
import dev.llmfallback.policy.ModelType;

/**
 * An {@link EmbeddingService} bound to one embedding policy; a request naming another embedding
 * policy of the engine walks that one. A chat policy is refused: its models give no vectors.
 */
final class PolicyEmbeddingService implements EmbeddingService {

	private final CompiledPolicy policy;

	private final Map<String, CompiledPolicy> policies;

	private final EmbeddingCallDriver embeddings;

	PolicyEmbeddingService(CompiledPolicy policy, Map<String, CompiledPolicy> policies,
			EmbeddingCallDriver embeddings) {
		this.policy = policy;
		this.policies = policies;
		this.embeddings = embeddings;
	}

	@Override
	public Mono<EmbeddingResponse> embed(EmbeddingRequest request) {
		if (request == null) {
			return Mono.error(LlmException.builder(ErrorCategory.BAD_REQUEST).message("The request is null").build());
		}
		String named = request.policy();
		CompiledPolicy policy = (named == null) ? this.policy : this.policies.get(named);
		if (policy == null) {
			return Mono.error(LlmException.builder(ErrorCategory.BAD_REQUEST)
				.message(PolicyChatService.unknownPolicy(Objects.requireNonNull(named), this.policies))
				.build());
		}
		if (policy.type() != ModelType.EMBEDDING) {
			return Mono.error(LlmException.builder(ErrorCategory.BAD_REQUEST)
				.message("Policy '" + policy.name() + "' is a chat policy; embeddings need a policy of embedding models")
				.build());
		}
		return this.embeddings.embed(policy, request);
	}

	@Override
	public String toString() {
		return "EmbeddingService[policy=" + this.policy.name() + "]";
	}

}
