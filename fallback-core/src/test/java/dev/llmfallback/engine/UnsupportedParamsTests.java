package dev.llmfallback.engine;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.junit.jupiter.api.Test;

import dev.llmfallback.ChatChunk;
import dev.llmfallback.ChatMessage;
import dev.llmfallback.ChatRequest;
import dev.llmfallback.ChatResponse;
import dev.llmfallback.ContentPart;
import dev.llmfallback.ErrorCategory;
import dev.llmfallback.FallbackExhaustedException;
import dev.llmfallback.LlmException;
import dev.llmfallback.SkipReason;
import dev.llmfallback.Tool;
import dev.llmfallback.engine.ModelStatus.State;
import dev.llmfallback.policy.Capability;
import dev.llmfallback.policy.CooldownSpec;
import dev.llmfallback.policy.FallbackPolicy;
import dev.llmfallback.policy.ModelDefinition;
import dev.llmfallback.testing.ScriptedProvider;
import dev.llmfallback.testing.Step;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Nothing silently dropped: a model whose provider has no equivalent for one of the request's
 * parameters is skipped as {@code unsupported} before any call, unless the policy sets
 * {@code drop-unsupported-params}, which calls it with them left out and names them in the answer.
 * With no model able to serve, the request fails {@code unsupported} naming per model what it
 * lacks. A provider's own refusal hops on at once: no retry, no cooldown.
 */
class UnsupportedParamsTests {

	private static final Tool WEATHER = Tool.function("weather", null, Map.of("type", "object"));

	private final Fixture fixture = new Fixture();

	/** A provider that cannot carry the listed {@code extra} names a request holds, nor images when asked. */
	private static Function<ChatRequest, List<String>> cannotCarry(String... names) {
		return (request) -> {
			List<String> lacking = new ArrayList<>();
			for (String name : names) {
				boolean images = name.equals("image_url") && request.messages().stream().anyMatch((m) -> !m.textOnly());
				if (request.extra().containsKey(name) || images) {
					lacking.add(name);
				}
			}
			return lacking;
		};
	}

	private ScriptedProvider model(String name, Function<ChatRequest, List<String>> unsupported, Step... script) {
		return this.fixture.model(ModelDefinition.builder(name).provider(name).build(),
				(provider) -> provider.unsupportedParams(unsupported).otherwise(Step.reply("from " + name)), script);
	}

	private static ChatRequest withLogprobs() {
		return ChatRequest.builder().user("hi").extra("logprobs", true).build();
	}

	@Test
	void aModelWhoseProviderCannotCarryAParameterIsSkippedBeforeAnyCall() {
		ScriptedProvider a = model("a", cannotCarry("logprobs"));
		this.fixture.healthy("b");
		FallbackEngine engine = this.fixture.chain("a", "b").engine();

		ChatResponse response = this.fixture.run(engine.chatService().chat(withLogprobs())).get();

		assertThat(response.servedBy()).isEqualTo("b");
		assertThat(response.droppedParams()).isEmpty();
		assertThat(response.attempts()).extracting((attempt) -> attempt.model() + ":" + attempt.skipReason())
			.containsExactly("a:unsupported", "b:null");
		assertThat(this.fixture.hops()).containsExactly("a->b:unsupported");
		assertThat(a.calls()).isZero();
	}

	@Test
	void withNoModelAbleToServeTheRequestFailsUnsupportedNamingPerModelWhatItLacks() {
		ScriptedProvider claude = this.fixture.model(ModelDefinition.builder("claude")
			.provider("claude")
			.capabilities(EnumSet.of(Capability.VISION, Capability.STREAMING))
			.build());
		ScriptedProvider llava = model("ollama-llava", cannotCarry("logprobs", "image_url"));
		FallbackEngine engine = this.fixture.chain("claude", "ollama-llava").engine();
		ChatRequest request = ChatRequest.builder()
			.message(ChatMessage.user(ContentPart.text("what is it?"), ContentPart.imageUrl("https://example.com/a.png")))
			.tool(WEATHER)
			.extra("logprobs", true)
			.build();

		LlmException failure = this.fixture.run(engine.chatService().chat(request)).failure();

		assertThat(failure).isInstanceOf(FallbackExhaustedException.class)
			.hasMessageContaining("claude lacks tools; ollama-llava cannot carry logprobs, image_url");
		assertThat(failure.category()).isEqualTo(ErrorCategory.UNSUPPORTED);
		assertThat(failure.attempts()).extracting((attempt) -> attempt.model() + ":" + attempt.skipReason())
			.containsExactly("claude:unsupported", "ollama-llava:unsupported");
		assertThat(claude.calls() + llava.calls()).isZero();
	}

	@Test
	void aModelLackingACapabilityIsNamedWithTheParametersItCannotCarryToo() {
		this.fixture.model(
				ModelDefinition.builder("a").provider("a").capabilities(EnumSet.of(Capability.STREAMING)).build(),
				(provider) -> provider.unsupportedParams(cannotCarry("seed")));
		FallbackEngine engine = this.fixture.chain("a").engine();
		ChatRequest request = ChatRequest.builder().user("weather?").tool(WEATHER).extra("seed", 1).build();

		LlmException failure = this.fixture.run(engine.chatService().chat(request)).failure();

		assertThat(failure.category()).isEqualTo(ErrorCategory.UNSUPPORTED);
		assertThat(failure).hasMessageContaining("(a lacks tools, cannot carry seed)");
	}

	@Test
	void withDropUnsupportedParamsTheModelIsCalledWithoutThemAndTheAnswerNamesThem() {
		ScriptedProvider a = model("a", cannotCarry("logprobs", "seed"));
		FallbackEngine engine = this.fixture.chain((policy) -> policy.dropUnsupportedParams(true), "a").engine();
		ChatRequest request = ChatRequest.builder().user("hi").extra("logprobs", true).extra("seed", 7).build();

		ChatResponse response = this.fixture.run(engine.chatService().chat(request)).get();

		assertThat(response.servedBy()).isEqualTo("a");
		assertThat(response.droppedParams()).containsExactly("logprobs", "seed");
		assertThat(a.requests()).singleElement().satisfies((sent) -> assertThat(sent.dropUnsupported()).isTrue());
		assertThat(this.fixture.run(engine.chatService().chat(ChatRequest.builder().user("hi").extra("top_k", 3).build()))
			.get()
			.droppedParams()).as("nothing to drop").isEmpty();
		assertThat(a.requests().get(1).dropUnsupported()).isFalse();
	}

	@Test
	void aStreamNamesWhatWasDroppedForTheModelThatServedIt() {
		ScriptedProvider a = model("a", cannotCarry("seed"), Step.fail(ErrorCategory.SERVICE_UNAVAILABLE).status(503));
		ScriptedProvider b = model("b", cannotCarry("logprobs"), Step.chunks("from ", "b"));
		FallbackEngine engine = this.fixture
			.chain((policy) -> policy.dropUnsupportedParams(true).retryOn(List.of()), "a", "b")
			.engine();
		ChatRequest request = ChatRequest.builder().user("hi").extra("logprobs", true).extra("seed", 7).build();

		List<ChatChunk> chunks = this.fixture.run(engine.chatService().stream(request).collectList()).get();

		ChatChunk last = chunks.get(chunks.size() - 1);
		assertThat(last.servedBy()).isEqualTo("b");
		assertThat(last.droppedParams()).containsExactly("logprobs");
		assertThat(chunks.subList(0, chunks.size() - 1)).allSatisfy((chunk) -> assertThat(chunk.droppedParams()).isEmpty());
		assertThat(a.requests().get(0).dropUnsupported()).isTrue();
		assertThat(b.requests().get(0).dropUnsupported()).isTrue();
	}

	@Test
	void dropUnsupportedParamsNeverDropsACapability() {
		ScriptedProvider a = this.fixture.model(ModelDefinition.builder("a")
			.provider("a")
			.capabilities(EnumSet.of(Capability.STREAMING))
			.build());
		this.fixture.healthy("b");
		FallbackEngine engine = this.fixture.chain((policy) -> policy.dropUnsupportedParams(true), "a", "b").engine();

		ChatResponse response = this.fixture.run(engine.chatService().chat(ChatRequest.builder().user("weather?").tool(WEATHER).build()))
			.get();

		assertThat(response.servedBy()).isEqualTo("b");
		assertThat(response.attempts().get(0).skipReason()).isEqualTo(SkipReason.UNSUPPORTED);
		assertThat(a.calls()).isZero();
	}

	@Test
	void aProvidersOwnRefusalHopsOnAtOnceWithoutRetryOrCooldown() {
		ScriptedProvider a = this.fixture.failing("a", Step.fail(ErrorCategory.UNSUPPORTED).status(400));
		this.fixture.healthy("b");
		// Retries on (2 per model) and a cooldown after a single counted failure: neither may apply.
		FallbackEngine engine = this.fixture
			.chain((policy) -> policy.cooldown(CooldownSpec.builder().failures(1).build()), "a", "b")
			.engine();

		ChatResponse first = this.fixture.run(engine.chatService().chat(ChatRequest.of("hi"))).get();
		ChatResponse second = this.fixture.run(engine.chatService().chat(ChatRequest.of("hi"))).get();

		assertThat(first.attempts()).extracting((attempt) -> attempt.model() + ":" + attempt.outcome())
			.containsExactly("a:unsupported", "b:success");
		assertThat(second.attempts()).extracting((attempt) -> attempt.model() + ":" + attempt.outcome())
			.as("a is not cooling down: the next request calls it again")
			.containsExactly("a:unsupported", "b:success");
		assertThat(a.calls()).isEqualTo(2);
		assertThat(engine.modelStatus("a").state()).isEqualTo(State.AVAILABLE);
		assertThat(engine.modelStatus("a").failuresInWindow()).isZero();
	}

	@Test
	void whenAnotherModelFailsTheFailureStillNamesWhatTheSkippedOnesLack() {
		model("a", cannotCarry("logprobs"));
		this.fixture.failing("b", Step.fail(ErrorCategory.SERVICE_UNAVAILABLE).status(503));
		FallbackEngine engine = this.fixture.chain((policy) -> policy.retryOn(List.of()), "a", "b").engine();

		LlmException failure = this.fixture.run(engine.chatService().chat(withLogprobs())).failure();

		assertThat(failure.category()).isEqualTo(ErrorCategory.SERVICE_UNAVAILABLE);
		assertThat(failure).hasMessageContaining("skipped as unsupported: a cannot carry logprobs");
	}

	@Test
	void everyModelRefusingFailsUnsupported() {
		this.fixture.failing("a", Step.fail(ErrorCategory.UNSUPPORTED).status(400));
		this.fixture.failing("b", Step.fail(ErrorCategory.UNSUPPORTED).status(400));
		FallbackEngine engine = this.fixture.chain("a", "b").engine();

		LlmException failure = this.fixture.run(engine.chatService().chat(ChatRequest.of("hi"))).failure();

		assertThat(failure).isInstanceOf(FallbackExhaustedException.class);
		assertThat(failure.category()).isEqualTo(ErrorCategory.UNSUPPORTED);
		assertThat(failure.attempts()).extracting((attempt) -> attempt.model() + ":" + attempt.outcome())
			.containsExactly("a:unsupported", "b:unsupported");
	}

	@Test
	void thePolicyDropsNothingByDefaultAndKeepsTheSettingWhenCopied() {
		FallbackPolicy policy = FallbackPolicy.builder("chat").models("a").build();
		FallbackPolicy dropping = policy.toBuilder().dropUnsupportedParams(true).build();

		assertThat(policy.dropUnsupportedParams()).isFalse();
		assertThat(dropping.dropUnsupportedParams()).isTrue();
		assertThat(dropping.toBuilder("other").build().dropUnsupportedParams()).isTrue();
	}

}
