package dev.llmfallback.actuate.metrics;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import dev.llmfallback.ChatRequest;
import dev.llmfallback.EmbeddingRequest;
import dev.llmfallback.Usage;
import dev.llmfallback.engine.FallbackEngine;
import dev.llmfallback.policy.FallbackPolicy;
import dev.llmfallback.policy.ModelDefinition;
import dev.llmfallback.policy.ModelType;
import dev.llmfallback.testing.ScriptedProvider;
import dev.llmfallback.testing.Step;

import static org.assertj.core.api.Assertions.assertThat;

/** Requests and attempts say their operation, chat or embeddings, and so do the GenAI meters. */
class OperationTagTests {

	private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

	private final FallbackEngine engine = FallbackEngine.builder()
		.provider(ScriptedProvider.replying("chatty", "hi"))
		.provider(ScriptedProvider.builder("vectors").then(Step.reply("").usage(Usage.of(5, 0))).build())
		.model(ModelDefinition.builder("chat-model").provider("chatty").build())
		.model(ModelDefinition.builder("embed-model").provider("vectors").type(ModelType.EMBEDDING).dimensions(8).build())
		.policy(FallbackPolicy.builder("chat").models("chat-model").build())
		.policy(FallbackPolicy.builder("embed").models("embed-model").build())
		.listener(new FallbackMetrics(this.registry))
		.listener(new GenAiClientMetrics(this.registry))
		.build();

	@Test
	void embeddingsAreTaggedEmbeddingsAndChatsChat() {
		this.engine.embeddingService().embed(EmbeddingRequest.of("a", "b")).block();
		this.engine.chatService().chat(ChatRequest.of("hello")).block();

		assertThat(this.registry.get(FallbackMetrics.REQUESTS).tag("policy", "embed").timer().getId().getTag("operation"))
			.isEqualTo("embeddings");
		assertThat(this.registry.get(FallbackMetrics.REQUESTS).tag("policy", "chat").timer().getId().getTag("operation"))
			.isEqualTo("chat");
		assertThat(this.registry.get(FallbackMetrics.ATTEMPTS).tag("operation", "embeddings").counter().count())
			.isEqualTo(1);
		assertThat(this.registry.get(FallbackMetrics.ATTEMPTS).tag("operation", "chat").counter().count()).isEqualTo(1);
		assertThat(this.registry.get(GenAiClientMetrics.OPERATION_DURATION)
			.tag("gen_ai.operation.name", "embeddings")
			.tag("gen_ai.request.model", "embed-model")
			.timer()
			.count()).isEqualTo(1);
		assertThat(this.registry.get(GenAiClientMetrics.OPERATION_DURATION)
			.tag("gen_ai.operation.name", "chat")
			.timer()
			.count()).isEqualTo(1);
		assertThat(this.registry.get("gen_ai.client.token.usage")
			.tag("gen_ai.operation.name", "embeddings")
			.tag("gen_ai.token.type", "input")
			.summary()
			.totalAmount()).isEqualTo(5);
	}

}
