package dev.llmfallback.engine;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.llmfallback.ChatChunk;
import dev.llmfallback.ChatRequest;
import dev.llmfallback.ChatResponse;
import dev.llmfallback.ErrorCategory;
import dev.llmfallback.FallbackExhaustedException;
import dev.llmfallback.LlmException;
import dev.llmfallback.SkipReason;
import dev.llmfallback.engine.ModelStatus.State;
import dev.llmfallback.policy.Capability;
import dev.llmfallback.policy.FallbackPolicy;
import dev.llmfallback.policy.ModelDefinition;
import dev.llmfallback.testing.ScriptedProvider;
import dev.llmfallback.testing.Step;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a request needs of a model: a stream skips, before any call, a model declared without
 * {@code streaming} (skip reason {@code unsupported}); a provider's own refusal is category
 * {@code unsupported}, which hops on and never cools the model.
 */
class CapabilityTests {

	private final Fixture fixture = new Fixture();

	private static ModelDefinition withoutStreaming(String name) {
		return ModelDefinition.builder(name).provider(name).capabilities(Set.of(Capability.TOOLS)).build();
	}

	@Test
	void aStreamSkipsAModelThatCannotStreamAndAPlainCallStillUsesIt() {
		ScriptedProvider a = this.fixture.model(withoutStreaming("a"), Step.reply("from a"));
		this.fixture.healthy("b");
		FallbackEngine engine = this.fixture.chain("a", "b").engine();

		List<ChatChunk> chunks = this.fixture.run(engine.chatService().stream(ChatRequest.of("hi")).collectList()).get();
		ChatChunk last = chunks.get(chunks.size() - 1);
		ChatResponse plain = this.fixture.run(engine.chatService().chat(ChatRequest.of("hi"))).get();

		assertThat(last.servedBy()).isEqualTo("b");
		assertThat(last.attempts().get(0).skipReason()).isEqualTo(SkipReason.UNSUPPORTED);
		assertThat(last.attempts()).extracting((attempt) -> attempt.model() + ":" + attempt.outcome())
			.containsExactly("a:skipped", "b:success");
		assertThat(this.fixture.hops()).first().isEqualTo("a->b:unsupported");
		assertThat(plain.servedBy()).isEqualTo("a");
		assertThat(a.calls()).as("only the plain call reached a").isEqualTo(1);
	}

	@Test
	void aStreamNoModelCanServeFailsAsUnsupportedNamingWhatEachModelLacks() {
		ScriptedProvider a = this.fixture.model(withoutStreaming("a"));
		ScriptedProvider b = this.fixture.model(withoutStreaming("b"));
		FallbackEngine engine = this.fixture.chain("a", "b").engine();

		LlmException failure = this.fixture.run(engine.chatService().stream(ChatRequest.of("hi")).collectList())
			.failure();

		assertThat(failure).isInstanceOf(FallbackExhaustedException.class)
			.hasMessageContaining("a lacks streaming; b lacks streaming");
		assertThat(failure.category()).isEqualTo(ErrorCategory.UNSUPPORTED);
		assertThat(failure.attempts()).extracting((attempt) -> attempt.model() + ":" + attempt.skipReason())
			.containsExactly("a:unsupported", "b:unsupported");
		assertThat(a.calls() + b.calls()).isZero();
	}

	@Test
	void aProviderRefusingAStreamHopsOnAndLeavesTheModelAvailableForPlainCalls() {
		ScriptedProvider a = this.fixture.model(ModelDefinition.builder("a").provider("a").build(),
				Step.fail(ErrorCategory.UNSUPPORTED).status(400), Step.reply("plain from a"));
		this.fixture.healthy("b");
		FallbackEngine engine = this.fixture
			.policy(FallbackPolicy.builder("chat").models("a", "b").build())
			.engine();

		List<ChatChunk> chunks = this.fixture.run(engine.chatService().stream(ChatRequest.of("hi")).collectList()).get();

		ChatChunk last = chunks.get(chunks.size() - 1);
		assertThat(last.servedBy()).isEqualTo("b");
		assertThat(last.attempts()).extracting((attempt) -> attempt.model() + ":" + attempt.outcome())
			.as("unsupported is not retried").containsExactly("a:unsupported", "b:success");
		ModelStatus status = engine.modelStatus("a");
		assertThat(status.state()).isEqualTo(State.AVAILABLE);
		assertThat(status.available()).isTrue();
		assertThat(status.failuresInWindow()).isZero();
		assertThat(this.fixture.run(engine.chatService().chat(ChatRequest.of("hi"))).get().content())
			.isEqualTo("plain from a");
		assertThat(a.calls()).isEqualTo(2);
	}

}
