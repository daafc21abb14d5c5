package dev.llmfallback.engine;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

import dev.llmfallback.ChatChunk;
import dev.llmfallback.ChatMessage;
import dev.llmfallback.ChatRequest;
import dev.llmfallback.ChatResponse;
import dev.llmfallback.ErrorCategory;
import dev.llmfallback.LlmException;
import dev.llmfallback.StreamInterruptedException;
import dev.llmfallback.Tool;
import dev.llmfallback.ToolCall;
import dev.llmfallback.testing.ScriptedProvider;
import dev.llmfallback.testing.Step;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tool calls through the walk: a call answers the provider's tool calls; a stream passes their
 * deltas on as they come, commits on the first one as on the first text, and ends with the calls
 * assembled from every delta (finish reason {@code tool_calls}). A stream whose deltas cannot be
 * assembled fails {@code invalid_response} naming the tool, never hangs.
 */
class ToolCallTests {

	private static final Tool WEATHER = Tool.function("weather", "The weather in a city",
			Map.of("type", "object", "properties", Map.of("city", Map.of("type", "string"))));

	private static final ToolCall PARIS = new ToolCall("call_1", "weather", "{\"city\":\"Paris\"}");

	private static final ToolCall OSLO = new ToolCall("call_2", "weather", "{\"city\":\"Oslo\"}");

	private static final ChatRequest REQUEST = ChatRequest.builder().user("Weather in Paris and Oslo?").tool(WEATHER).build();

	private final Fixture fixture = new Fixture();

	private static ChatChunk deltas(String model, ToolCall.Delta... deltas) {
		return new ChatChunk("", null, null, model, model, null, null, List.of(deltas), List.of(), List.of());
	}

	@Test
	void aCallAnswersTheToolCallsTheProviderMade() {
		this.fixture.healthy("primary", Step.toolCalls(PARIS, OSLO));
		FallbackEngine engine = this.fixture.chain("primary").engine();

		ChatResponse response = this.fixture.run(engine.chatService().chat(REQUEST)).get();

		assertThat(response.toolCalls()).containsExactly(PARIS, OSLO);
		assertThat(response.finishReason()).isEqualTo("tool_calls");
		assertThat(response.content()).isEmpty();
		assertThat(response.message()).isEqualTo(ChatMessage.assistant(null, List.of(PARIS, OSLO)));
	}

	@Test
	void aCallAnsweredWithArgumentsThatAreNotJsonFailsAsInvalidResponseAndTheWalkMovesOn() {
		this.fixture.failing("primary", Step.toolCalls(new ToolCall("call_1", "weather", "{\"city\": Paris")));
		this.fixture.healthy("secondary", Step.toolCalls(PARIS));
		FallbackEngine engine = this.fixture.chain((policy) -> policy.retryOn(List.of()), "primary", "secondary")
			.engine();

		ChatResponse response = this.fixture.run(engine.chatService().chat(REQUEST)).get();

		assertThat(response.toolCalls()).containsExactly(PARIS);
		assertThat(response.attempts()).extracting((attempt) -> attempt.model() + ":" + attempt.outcome())
			.containsExactly("primary:invalid_response", "secondary:success");
	}

	@Test
	void anAnswerCallingToolsThatSaysOnlyStopFinishesWithToolCalls() {
		this.fixture.healthy("primary", Step.toolCalls(PARIS).finishReason("stop"), Step.toolCalls(PARIS).finishReason("stop"));
		FallbackEngine engine = this.fixture.chain("primary").engine();

		assertThat(this.fixture.run(engine.chatService().chat(REQUEST)).get().finishReason()).isEqualTo("tool_calls");
		List<ChatChunk> chunks = this.fixture.run(engine.chatService().stream(REQUEST).collectList()).get();
		assertThat(chunks.get(chunks.size() - 1).finishReason()).isEqualTo("tool_calls");
	}

	@Test
	void aStreamPassesDeltasOnAndItsLastChunkCarriesTheAssembledCalls() {
		this.fixture.healthy("primary", Step.toolCalls(PARIS, OSLO));
		FallbackEngine engine = this.fixture.chain("primary").engine();

		StepVerifier.withVirtualTime(() -> engine.chatService().stream(REQUEST), () -> this.fixture.time, 10)
			.expectNext(deltas("primary", new ToolCall.Delta(0, "call_1", "weather", "{\"city\":")),
					deltas("primary", new ToolCall.Delta(0, null, null, "\"Paris\"}")),
					deltas("primary", new ToolCall.Delta(1, "call_2", "weather", "{\"city\"")),
					deltas("primary", new ToolCall.Delta(1, null, null, ":\"Oslo\"}")))
			.assertNext((last) -> {
				assertThat(last.last()).isTrue();
				assertThat(last.toolCallDeltas()).isEmpty();
				assertThat(last.toolCalls()).containsExactly(PARIS, OSLO);
				assertThat(last.finishReason()).isEqualTo("tool_calls");
				assertThat(last.servedBy()).isEqualTo("primary");
			})
			.verifyComplete();
	}

	@Test
	void interleavedDeltasOfParallelCallsAreFoldedByIndex() {
		this.fixture.healthy("primary",
				Step.toolCallDeltas(new ToolCall.Delta(0, "call_1", "weather", "{\"city\":"),
						new ToolCall.Delta(1, "call_2", "weather", "{\"city\":"), new ToolCall.Delta(1, null, null, "\"Oslo\"}"),
						new ToolCall.Delta(0, null, null, "\"Paris\"}")));
		FallbackEngine engine = this.fixture.chain("primary").engine();

		List<ChatChunk> chunks = this.fixture.run(engine.chatService().stream(REQUEST).collectList()).get();

		assertThat(chunks).hasSize(5);
		assertThat(chunks.get(4).toolCalls()).containsExactly(PARIS, OSLO);
	}

	@Test
	void aFailureBeforeTheFirstDeltaFallsBackAndTheCallerSeesOnlyTheFallbacksCall() {
		ScriptedProvider primary = this.fixture.failing("primary", Step.fail(ErrorCategory.SERVICE_UNAVAILABLE).status(503));
		this.fixture.healthy("secondary", Step.toolCalls(PARIS));
		FallbackEngine engine = this.fixture.chain("primary", "secondary").engine();

		StepVerifier.withVirtualTime(() -> engine.chatService().stream(REQUEST), () -> this.fixture.time, 10)
			.thenAwait(Duration.ofSeconds(1))
			.expectNext(deltas("secondary", new ToolCall.Delta(0, "call_1", "weather", "{\"city\":")),
					deltas("secondary", new ToolCall.Delta(0, null, null, "\"Paris\"}")))
			.assertNext((last) -> {
				assertThat(last.servedBy()).isEqualTo("secondary");
				assertThat(last.toolCalls()).containsExactly(PARIS);
				assertThat(last.finishReason()).isEqualTo("tool_calls");
				assertThat(last.attempts()).extracting((attempt) -> attempt.model() + ":" + attempt.outcome())
					.containsExactly("primary:service_unavailable", "primary:service_unavailable",
							"primary:service_unavailable", "secondary:success");
			})
			.verifyComplete();
		assertThat(primary.calls()).isEqualTo(3);
	}

	@Test
	void aDeltaCommitsTheStreamLikeText() {
		ScriptedProvider secondary = this.fixture.healthy("secondary");
		this.fixture.failing("primary",
				Step.toolCallDeltas(new ToolCall.Delta(0, "call_1", "weather", "{\"ci")).thenFail(ErrorCategory.SERVER_ERROR));
		FallbackEngine engine = this.fixture.chain("primary", "secondary").engine();

		StepVerifier.withVirtualTime(() -> engine.chatService().stream(REQUEST), () -> this.fixture.time, 10)
			.expectNext(deltas("primary", new ToolCall.Delta(0, "call_1", "weather", "{\"ci")))
			.expectErrorSatisfies((error) -> {
				assertThat(error).isInstanceOf(StreamInterruptedException.class);
				assertThat(((StreamInterruptedException) error).category()).isEqualTo(ErrorCategory.SERVER_ERROR);
				assertThat(((StreamInterruptedException) error).deliveredChunks()).isEqualTo(1);
			})
			.verify();
		assertThat(secondary.calls()).as("no fallback once the caller holds part of a tool call").isZero();
	}

	@Test
	void argumentsThatAreNotJsonFailTheStreamAsInvalidResponseNamingTheTool() {
		this.fixture.failing("primary", Step.toolCallDeltas(new ToolCall.Delta(0, "call_1", "weather", "{\"city\":"),
				new ToolCall.Delta(0, null, null, "Paris")));
		FallbackEngine engine = this.fixture.chain("primary").engine();

		LlmException failure = this.fixture.run(engine.chatService().stream(REQUEST).collectList()).failure();

		assertThat(failure).isInstanceOf(StreamInterruptedException.class)
			.hasMessageContaining("tool call 'weather' (id call_1)")
			.hasMessageContaining("not one JSON object");
		assertThat(failure.category()).isEqualTo(ErrorCategory.INVALID_RESPONSE);
		assertThat(failure.attempts()).extracting((attempt) -> attempt.model() + ":" + attempt.outcome())
			.containsExactly("primary:invalid_response");
	}

	@Test
	void aCallWithoutArgumentsAssemblesToAnEmptyObject() {
		this.fixture.healthy("primary", Step.toolCallDeltas(new ToolCall.Delta(0, "call_1", "now", "")));
		FallbackEngine engine = this.fixture.chain("primary").engine();

		List<ChatChunk> chunks = this.fixture.run(engine.chatService().stream(REQUEST).collectList()).get();

		assertThat(chunks.get(chunks.size() - 1).toolCalls()).containsExactly(new ToolCall("call_1", "now", "{}"));
	}

	@Test
	void aFirstDeltaWithoutAnIdIsInvalidAndFallsBackWhileNothingReachedTheCaller() {
		ScriptedProvider primary = this.fixture.failing("primary",
				Step.toolCallDeltas(new ToolCall.Delta(0, null, "weather", "{}")));
		this.fixture.healthy("secondary", Step.toolCalls(PARIS));
		FallbackEngine engine = this.fixture.chain((policy) -> policy.retryOn(List.of()), "primary", "secondary")
			.engine();

		List<ChatChunk> chunks = this.fixture.run(engine.chatService().stream(REQUEST).collectList()).get();

		ChatChunk last = chunks.get(chunks.size() - 1);
		assertThat(chunks).allSatisfy((chunk) -> assertThat(chunk.servedBy()).isEqualTo("secondary"));
		assertThat(last.toolCalls()).containsExactly(PARIS);
		assertThat(last.attempts()).extracting((attempt) -> attempt.model() + ":" + attempt.outcome())
			.containsExactly("primary:invalid_response", "secondary:success");
		assertThat(primary.calls()).isEqualTo(1);
	}

	@Test
	void aGapInTheIndexesIsInvalid() {
		this.fixture.failing("primary", Step.toolCallDeltas(new ToolCall.Delta(0, "call_1", "weather", "{}"),
				new ToolCall.Delta(2, "call_3", "weather", "{}")));
		FallbackEngine engine = this.fixture.chain("primary").engine();

		LlmException failure = this.fixture.run(engine.chatService().stream(REQUEST).collectList()).failure();

		assertThat(failure).isInstanceOf(StreamInterruptedException.class)
			.hasMessageContaining("streamed a delta of tool call 2 before tool call 1 began");
		assertThat(failure.category()).isEqualTo(ErrorCategory.INVALID_RESPONSE);
	}

	@Test
	void aFirstDeltaWithoutTheToolsNameIsInvalid() {
		this.fixture.failing("primary", Step.toolCallDeltas(new ToolCall.Delta(0, "call_1", null, "{}")));
		FallbackEngine engine = this.fixture.chain((policy) -> policy.retryOn(List.of()), "primary").engine();

		LlmException failure = this.fixture.run(engine.chatService().stream(REQUEST).collectList()).failure();

		assertThat(failure.category()).isEqualTo(ErrorCategory.INVALID_RESPONSE);
		assertThat(failure.getCause()).hasMessageContaining("began tool call 0 without the tool's name");
	}

	@Test
	void aStreamSilentAfterADeltaEndsOnTheIdleTimeoutNotLater() {
		this.fixture.failing("primary", Step.toolCallDeltas(new ToolCall.Delta(0, "call_1", "weather", "{")).thenHang());
		FallbackEngine engine = this.fixture
			.chain((policy) -> policy.firstTokenTimeout(Duration.ofSeconds(60)).deadline(Duration.ofSeconds(120))
				.idleTimeout(Duration.ofSeconds(5)), "primary")
			.engine();

		StepVerifier.withVirtualTime(() -> engine.chatService().stream(REQUEST), () -> this.fixture.time, 10)
			.expectNextCount(1)
			.expectNoEvent(Duration.ofMillis(4999))
			.thenAwait(Duration.ofMillis(1))
			.expectErrorSatisfies((error) -> assertThat(((LlmException) error).category()).isEqualTo(ErrorCategory.TIMEOUT))
			.verify();
	}

}
