package dev.llmfallback.provider;

import java.time.Duration;
import java.util.List;

import dev.llmfallback.ChatChunk;
import dev.llmfallback.ChatRequest;
import dev.llmfallback.ChatResponse;
import dev.llmfallback.ErrorCategory;
import dev.llmfallback.engine.FallbackEngine;
import dev.llmfallback.engine.ModelStatus;
import dev.llmfallback.policy.FallbackPolicy;
import dev.llmfallback.policy.ModelDefinition;
import dev.llmfallback.provider.StubServer.Reply;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 11: a model whose server refuses streaming is passed for that stream (unsupported: no
 * retry, the next model serves it) and stays available for plain calls, with the default retry and
 * cooldown settings. Real HTTP on loopback, through the engine.
 */
class StreamRefusalFallbackTests {

	private static final String COMPLETION = """
			{"id": "chatcmpl-1", "object": "chat.completion", "model": "mock-model",
			 "choices": [{"index": 0, "message": {"role": "assistant", "content": "Plain answer"}, "finish_reason": "stop"}],
			 "usage": {"prompt_tokens": 3, "completion_tokens": 2, "total_tokens": 5}}
			""";

	private static final String ANTHROPIC_STREAM = """
			event: message_start
			data: {"type": "message_start", "message": {"model": "claude-x", "usage": {"input_tokens": 3, "output_tokens": 1}}}

			event: content_block_delta
			data: {"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": "Streamed"}}

			event: message_delta
			data: {"type": "message_delta", "delta": {"stop_reason": "end_turn"}, "usage": {"output_tokens": 2}}

			event: message_stop
			data: {"type": "message_stop"}

			""";

	private final StubServer mock = StubServer.start();

	private final StubServer anthropic = StubServer.start();

	private final ChatProvider mockProvider = ChatProviders.create(
			ProviderSettings.builder("mock", "openai").baseUrl(this.mock.url()).build(), null, null);

	private final ChatProvider anthropicProvider = ChatProviders.create(
			ProviderSettings.builder("claude", "anthropic").baseUrl(this.anthropic.url()).apiKey("sk-test").build(), null,
			null);

	private final FallbackEngine engine = FallbackEngine.builder()
		.provider(this.mockProvider)
		.provider(this.anthropicProvider)
		.model(ModelDefinition.builder("a").provider("mock").model("mock-model").build())
		.model(ModelDefinition.builder("b").provider("claude").model("claude-x").build())
		.policy(FallbackPolicy.builder("chain").models("a", "b").build())
		.defaultPolicy("chain")
		.build();

	@AfterEach
	void close() throws Exception {
		((AutoCloseable) this.mockProvider).close();
		((AutoCloseable) this.anthropicProvider).close();
		this.mock.close();
		this.anthropic.close();
	}

	@Test
	void aServerThatRefusesStreamingIsPassedOnceAndStaysAvailable() {
		this.mock.enqueue(Reply.json(400, """
				{"error": {"message": "Streaming is not supported by this server", "type": "invalid_request_error", "param": "stream", "code": null}}
				"""));
		this.anthropic.enqueue(Reply.sse(ANTHROPIC_STREAM));
		List<ChatChunk> chunks = this.engine.chatService().stream(ChatRequest.of("Hi")).collectList()
			.block(Duration.ofSeconds(10));
		ChatChunk last = chunks.get(chunks.size() - 1);
		assertThat(last.servedBy()).isEqualTo("b");
		assertThat(last.attempts()).hasSize(2);
		assertThat(last.attempts().get(0).category()).contains(ErrorCategory.UNSUPPORTED);
		assertThat(this.mock.takeRequest()).isNotNull();
		ModelStatus status = this.engine.modelStatus("a");
		assertThat(status.state()).isEqualTo(ModelStatus.State.AVAILABLE);
		assertThat(status.available()).isTrue();

		// The same model still serves plain calls at once.
		this.mock.enqueue(Reply.json(200, COMPLETION));
		ChatResponse response = this.engine.chatService().chat(ChatRequest.of("Hi")).block(Duration.ofSeconds(10));
		assertThat(response.servedBy()).isEqualTo("a");
		assertThat(response.content()).isEqualTo("Plain answer");
		assertThat(response.attempts()).hasSize(1);
	}

	@Test
	void aMockThatAnswersAStreamWithAWholeCompletionServesIt() {
		this.mock.enqueue(Reply.json(200, COMPLETION));
		List<ChatChunk> chunks = this.engine.chatService().stream(ChatRequest.of("Hi")).collectList()
			.block(Duration.ofSeconds(10));
		assertThat(chunks).extracting(ChatChunk::delta).containsExactly("Plain answer", "");
		assertThat(chunks.get(chunks.size() - 1).servedBy()).isEqualTo("a");
	}

}
