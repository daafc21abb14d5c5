package dev.llmfallback.engine;

import java.util.Map;
import java.util.Objects;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import dev.llmfallback.ChatChunk;
import dev.llmfallback.ChatRequest;
import dev.llmfallback.ChatResponse;
import dev.llmfallback.ChatService;
import dev.llmfallback.ErrorCategory;
import dev.llmfallback.LlmException;
import dev.llmfallback.policy.ModelType;

/**
 * A {@link ChatService} bound to one policy; a request naming another policy of the engine walks
 * that one. The policy table is the engine's own, shared, never copied.
 */
final class PolicyChatService implements ChatService {

	private final CompiledPolicy policy;

	private final Map<String, CompiledPolicy> policies;

	private final ChatCallDriver calls;

	private final ChatStreamDriver streams;

	PolicyChatService(CompiledPolicy policy, Map<String, CompiledPolicy> policies, ChatCallDriver calls,
			ChatStreamDriver streams) {
		this.policy = policy;
		this.policies = policies;
		this.calls = calls;
		this.streams = streams;
	}

	@Override
	public Mono<ChatResponse> chat(ChatRequest request) {
		return resolve(request).flatMap((policy) -> this.calls.chat(policy, request));
	}

	@Override
	public Flux<ChatChunk> stream(ChatRequest request) {
		return resolve(request).flatMapMany((policy) -> this.streams.stream(policy, request));
	}

	@Override
	public String call(String prompt) {
		// The default method refuses a non-blocking thread; the bound policy resolves to itself.
		return call(this.policy.name(), prompt);
	}

	private Mono<CompiledPolicy> resolve(ChatRequest request) {
		if (request == null) {
			return Mono.error(LlmException.builder(ErrorCategory.BAD_REQUEST).message("The request is null").build());
		}
		String named = request.policy();
		CompiledPolicy policy = (named == null || named.equals(this.policy.name())) ? this.policy
				: this.policies.get(named);
		if (policy == null) {
			return Mono.error(LlmException.builder(ErrorCategory.BAD_REQUEST)
				.message(unknownPolicy(Objects.requireNonNull(named), this.policies))
				.build());
		}
		if (policy.type() == ModelType.EMBEDDING) {
			return Mono.error(LlmException.builder(ErrorCategory.BAD_REQUEST)
				.message("Policy '" + policy.name() + "' is an embedding policy; use EmbeddingService")
				.build());
		}
		return Mono.just(policy);
	}

	static String unknownPolicy(String policy, Map<String, CompiledPolicy> policies) {
		return "Unknown policy '" + policy + "'; configured policies: " + String.join(", ", policies.keySet());
	}

	@Override
	public String toString() {
		return "ChatService[policy=" + this.policy.name() + "]";
	}

}
