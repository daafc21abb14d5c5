package dev.llmfallback.engine;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.test.scheduler.VirtualTimeScheduler;

import dev.llmfallback.AttemptKind;
import dev.llmfallback.ChatRequest;
import dev.llmfallback.ChatResponse;
import dev.llmfallback.policy.FallbackPolicy;
import dev.llmfallback.policy.HedgeSpec;
import dev.llmfallback.policy.ModelDefinition;
import dev.llmfallback.provider.ChatProvider;
import dev.llmfallback.provider.ChatProviders;
import dev.llmfallback.provider.ClassificationRules;
import dev.llmfallback.provider.ProviderSettings;
import dev.llmfallback.provider.StubServer;
import dev.llmfallback.provider.StubServer.Reply;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Over real HTTP on loopback: when the hedge wins, the slow call's upstream connection is closed at
 * once (the server sees it go), not left to run to its end.
 */
class HedgeLoopbackTests {

	private static final String COMPLETION = """
			{"id": "chatcmpl-1", "object": "chat.completion", "created": 1741569952, "model": "gpt-4o-mini",
			 "choices": [{"index": 0, "message": {"role": "assistant", "content": "from the hedge"},
			   "finish_reason": "stop"}],
			 "usage": {"prompt_tokens": 9, "completion_tokens": 3, "total_tokens": 12}}
			""";

	private final StubServer slow = StubServer.start();

	private final StubServer fast = StubServer.start();

	@AfterEach
	void stop() {
		this.slow.close();
		this.fast.close();
	}

	private static ChatProvider openAi(String name, StubServer server) {
		return ChatProviders.create(ProviderSettings.builder(name, "openai").baseUrl(server.url() + "/v1")
			.apiKey("sk-test")
			.build(), null, ClassificationRules.none());
	}

	@Test
	void theLosingCallsConnectionIsClosedWhenTheHedgeWins() throws Exception {
		VirtualTimeScheduler time = VirtualTimeScheduler.create();
		this.slow.enqueue(Reply.hang());
		this.fast.enqueue(Reply.json(200, COMPLETION));
		FallbackEngine engine = FallbackEngine.builder()
			.provider(openAi("slow", this.slow))
			.provider(openAi("fast", this.fast))
			.model(ModelDefinition.builder("primary").provider("slow").model("gpt-4o-mini").build())
			.model(ModelDefinition.builder("secondary").provider("fast").model("gpt-4o-mini").build())
			.policy(FallbackPolicy.builder("chat")
				.models("primary", "secondary")
				.hedge(HedgeSpec.after(Duration.ofSeconds(2)).withMaxRate(1.0))
				.build())
			.scheduler(time)
			.build();

		CompletableFuture<ChatResponse> answer = engine.chatService().chat(ChatRequest.of("hi")).toFuture();
		StubServer.Recorded primaryCall = this.slow.takeRequest();
		assertThat(primaryCall.closed()).isNotDone();
		time.advanceTimeBy(Duration.ofSeconds(2));
		ChatResponse response = answer.get(10, TimeUnit.SECONDS);

		assertThat(response.content()).isEqualTo("from the hedge");
		assertThat(response.attempts()).extracting((attempt) -> attempt.kind())
			.containsExactly(AttemptKind.PRIMARY, AttemptKind.HEDGE);
		primaryCall.closed().get(5, TimeUnit.SECONDS); // the slow server saw its connection close
		assertThat(this.fast.takeRequest().uri()).isEqualTo("/v1/chat/completions");
	}

}
