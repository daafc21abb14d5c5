package dev.llmfallback.engine;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.blockhound.BlockHound;
import reactor.blockhound.BlockingOperationError;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

import dev.llmfallback.ChatRequest;
import dev.llmfallback.Tool;
import dev.llmfallback.ToolCall;
import dev.llmfallback.ErrorCategory;
import dev.llmfallback.FallbackExhaustedException;
import dev.llmfallback.policy.FallbackPolicy;
import dev.llmfallback.policy.ModelDefinition;
import dev.llmfallback.policy.RetrySpec;
import dev.llmfallback.testing.ScriptedProvider;
import dev.llmfallback.testing.Step;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * No Reactor thread ever blocks inside the engine: back-off waits, timeouts, deadlines, the token
 * count and events all run on {@link Schedulers#parallel()} threads under BlockHound, which fails
 * any blocking call there. Runs in its own JVM (surefire execution {@code blockhound}), since
 * BlockHound instruments the whole JVM.
 */
class NonBlockingBlockHoundTests {

	@BeforeAll
	static void installBlockHound() {
		BlockHound.install();
	}

	@Test
	void blockHoundIsActive() {
		StepVerifier.create(Mono.delay(Duration.ofMillis(1)).doOnNext((tick) -> {
			try {
				Thread.sleep(1);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		})).expectError(BlockingOperationError.class).verify(Duration.ofSeconds(10));
	}

	private static FallbackEngine engine(ScriptedProvider primary, ScriptedProvider secondary) {
		return FallbackEngine.builder()
			.provider(primary)
			.provider(secondary)
			.model(ModelDefinition.builder("primary").provider("primary").maxInputTokens(100_000).build())
			.model(ModelDefinition.builder("secondary").provider("secondary").maxInputTokens(200_000).build())
			.policy(FallbackPolicy.builder("chat")
				.models("primary", "secondary")
				.timeout(Duration.ofMillis(200))
				.retry(RetrySpec.builder().maxRetries(2).initialBackoff(Duration.ofMillis(5)).build())
				.build())
			.listener((event) -> {
			})
			.build();
	}

	@Test
	void aChatWithRetriesTimeoutsAndAHopNeverBlocks() {
		ScriptedProvider primary = ScriptedProvider.builder("primary")
			.then(Step.fail(ErrorCategory.SERVICE_UNAVAILABLE).after(Duration.ofMillis(2)), Step.hang())
			.otherwise(Step.fail(ErrorCategory.RATE_LIMIT).retryAfter(Duration.ofMillis(3)))
			.build();
		ScriptedProvider secondary = ScriptedProvider.builder("secondary")
			.otherwise(Step.reply("served").after(Duration.ofMillis(2)))
			.build();
		FallbackEngine engine = engine(primary, secondary);
		// A long prompt, so the real tokenizer runs on the Reactor thread.
		ChatRequest request = ChatRequest.of("tokenize me ".repeat(20_000));

		StepVerifier.create(Mono.defer(() -> engine.chatService().chat(request)).subscribeOn(Schedulers.parallel()))
			.assertNext((response) -> {
				assertThat(response.servedBy()).isEqualTo("secondary");
				assertThat(response.attempts()).extracting("outcome")
					.containsExactly("service_unavailable", "timeout", "rate_limit", "success");
			})
			.verifyComplete();
	}

	@Test
	void aStreamWithAFallbackNeverBlocks() {
		ScriptedProvider primary = ScriptedProvider.builder("primary")
			.otherwise(Step.fail(ErrorCategory.CONNECTION).after(Duration.ofMillis(2)))
			.build();
		ScriptedProvider secondary = ScriptedProvider.builder("secondary")
			.otherwise(Step.chunks("a", "b", "c").every(Duration.ofMillis(2)))
			.build();
		FallbackEngine engine = engine(primary, secondary);

		StepVerifier
			.create(Mono.just(ChatRequest.of("hi"))
				.subscribeOn(Schedulers.parallel())
				.flatMapMany((request) -> engine.chatService().stream(request)))
			.expectNextCount(3)
			.assertNext((last) -> assertThat(last.servedBy()).isEqualTo("secondary"))
			.verifyComplete();
	}

	@Test
	void aToolCallStreamWithALargeSchemaNeverBlocks() {
		ScriptedProvider primary = ScriptedProvider.builder("primary")
			.otherwise(Step.fail(ErrorCategory.CONNECTION).after(Duration.ofMillis(2)))
			.build();
		ToolCall call = new ToolCall("call_1", "lookup", "{\"query\":\"" + "x".repeat(1000) + "\"}");
		ScriptedProvider secondary = ScriptedProvider.builder("secondary")
			.otherwise(Step.toolCalls(call).every(Duration.ofMillis(2)))
			.build();
		FallbackEngine engine = engine(primary, secondary);
		// A schema large enough that the cheap bound cannot prove a fit: the estimator writes and counts it.
		Tool tool = Tool.function("lookup", "Looks things up",
				Map.of("type", "object", "description", "describe me ".repeat(20_000)));
		ChatRequest request = ChatRequest.builder().user("look it up").tool(tool).build();

		StepVerifier
			.create(Mono.just(request)
				.subscribeOn(Schedulers.parallel())
				.flatMapMany((sent) -> engine.chatService().stream(sent)))
			.expectNextCount(2)
			.assertNext((last) -> assertThat(last.toolCalls()).containsExactly(call))
			.verifyComplete();
	}

	@Test
	void aDeadlineOnAReactorThreadNeverBlocks() {
		ScriptedProvider primary = ScriptedProvider.builder("primary").otherwise(Step.hang()).build();
		ScriptedProvider secondary = ScriptedProvider.builder("secondary").otherwise(Step.hang()).build();
		FallbackEngine engine = FallbackEngine.builder()
			.provider(primary)
			.provider(secondary)
			.model(ModelDefinition.builder("primary").provider("primary").build())
			.model(ModelDefinition.builder("secondary").provider("secondary").build())
			.policy(FallbackPolicy.builder("chat").models("primary", "secondary").deadline(Duration.ofMillis(50)).build())
			.build();

		StepVerifier
			.create(Mono.defer(() -> engine.chatService().chat(ChatRequest.of("hi"))).subscribeOn(Schedulers.parallel()))
			.expectErrorSatisfies((error) -> assertThat(((FallbackExhaustedException) error).deadlineExceeded()).isTrue())
			.verify(Duration.ofSeconds(10));
	}

}
