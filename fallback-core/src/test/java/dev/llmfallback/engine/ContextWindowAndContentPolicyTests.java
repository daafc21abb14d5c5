package dev.llmfallback.engine;

import org.junit.jupiter.api.Test;

import dev.llmfallback.ChatRequest;
import dev.llmfallback.ChatResponse;
import dev.llmfallback.ErrorCategory;
import dev.llmfallback.FallbackExhaustedException;
import dev.llmfallback.LlmException;
import dev.llmfallback.SkipReason;
import dev.llmfallback.policy.ModelDefinition;
import dev.llmfallback.testing.ScriptedProvider;
import dev.llmfallback.testing.Step;

import static org.assertj.core.api.Assertions.assertThat;

/** The two special hops: context-window fallbacks (with the token pre-check) and content-policy fallbacks. */
class ContextWindowAndContentPolicyTests {

	/** About 2,000 tokens: "lorem " is two tokens in o200k_base... one with a leading space; counted below. */
	private static final String LONG_PROMPT = "lorem ipsum dolor sit amet ".repeat(400);

	private static ModelDefinition window(String name, int tokens) {
		return ModelDefinition.builder(name).provider(name).maxInputTokens(tokens).build();
	}

	@Test
	void theTokenEstimateIsARealTokenCount() {
		TokenEstimator estimator = TokenEstimator.shared();
		// "hello world" is two o200k tokens; one message adds 3 and the reply priming 3.
		assertThat(estimator.estimate(ChatRequest.of("hello world"))).isEqualTo(2 + 3 + 3);
		int tokens = estimator.estimate(ChatRequest.of(LONG_PROMPT));
		assertThat(tokens).isBetween(1500, 2500).isLessThan(LONG_PROMPT.length() / 3);
		assertThat(TokenEstimator.upperBound(ChatRequest.of(LONG_PROMPT))).isGreaterThanOrEqualTo(tokens);
	}

	@Test
	void aModelTooSmallForThePromptIsSkippedWithoutACall() {
		Fixture fixture = new Fixture();
		ScriptedProvider small = fixture.model(window("small", 1000));
		fixture.model(window("large", 100_000), Step.reply("from large"));
		FallbackEngine engine = fixture.chain("small", "large").engine();

		ChatResponse response = fixture.run(engine.chatService().chat(ChatRequest.of(LONG_PROMPT))).get();

		assertThat(small.calls()).isZero();
		assertThat(response.servedBy()).isEqualTo("large");
		assertThat(response.attempts().get(0).skipReason()).isEqualTo(SkipReason.CONTEXT_WINDOW);
		assertThat(response.attempts().get(0).outcome()).isEqualTo("skipped");
		assertThat(fixture.hops()).containsExactly("small->large:context_window_exceeded");
	}

	@Test
	void aShortPromptIsNotSkippedByASmallWindow() {
		Fixture fixture = new Fixture();
		fixture.model(window("small", 1000), Step.reply("from small"));
		FallbackEngine engine = fixture.chain("small").engine();

		assertThat(fixture.run(engine.chatService().chat(ChatRequest.of("short"))).get().servedBy()).isEqualTo("small");
	}

	@Test
	void theCatalogueSuppliesWindowsForKnownModels() {
		Fixture fixture = new Fixture();
		fixture.model(ModelDefinition.builder("old").provider("old").model("gpt-4-0613").build());
		FallbackEngine engine = fixture.chain("old").engine();
		assertThat(engine.maxInputTokens("old")).isEqualTo(8192);
	}

	@Test
	void aModelsOwnWindowOverridesTheCatalogue() {
		Fixture fixture = new Fixture();
		fixture.model(ModelDefinition.builder("tuned").provider("tuned").model("gpt-4o").maxInputTokens(4096).build());
		FallbackEngine engine = fixture.chain("tuned").engine();
		assertThat(engine.maxInputTokens("tuned")).isEqualTo(4096);
	}

	@Test
	void aContextWindowErrorHopsToTheContextWindowFallbacksWhenSet() {
		Fixture fixture = new Fixture();
		fixture.failing("primary", Step.fail(ErrorCategory.CONTEXT_WINDOW_EXCEEDED).status(400));
		ScriptedProvider next = fixture.healthy("next");
		fixture.healthy("big");
		FallbackEngine engine = fixture.chain((policy) -> policy.contextWindowFallbacks("big"), "primary", "next")
			.engine();

		ChatResponse response = fixture.run(engine.chatService().chat(ChatRequest.of("hi"))).get();

		assertThat(response.servedBy()).isEqualTo("big");
		assertThat(next.calls()).isZero();
		assertThat(fixture.hops()).containsExactly("primary->big:context_window_exceeded");
	}

	@Test
	void withoutContextWindowFallbacksItHopsToLaterModelsWithLargerWindows() {
		Fixture fixture = new Fixture();
		fixture.model(window("primary", 8000), Step.fail(ErrorCategory.CONTEXT_WINDOW_EXCEEDED));
		ScriptedProvider smaller = fixture.model(window("smaller", 4000));
		ScriptedProvider same = fixture.model(window("same", 8000));
		fixture.model(window("larger", 128_000), Step.reply("from larger"));
		FallbackEngine engine = fixture.chain("primary", "smaller", "same", "larger").engine();

		ChatResponse response = fixture.run(engine.chatService().chat(ChatRequest.of("hi"))).get();

		assertThat(response.servedBy()).isEqualTo("larger");
		assertThat(smaller.calls()).isZero();
		assertThat(same.calls()).isZero();
	}

	@Test
	void aPromptThatFitsNoModelFailsAsContextWindowExceededWithoutACall() {
		Fixture fixture = new Fixture();
		ScriptedProvider a = fixture.model(window("a", 500));
		ScriptedProvider b = fixture.model(window("b", 1000));
		FallbackEngine engine = fixture.chain("a", "b").engine();

		LlmException failure = fixture.run(engine.chatService().chat(ChatRequest.of(LONG_PROMPT))).failure();

		assertThat(failure).isInstanceOf(FallbackExhaustedException.class)
			.hasMessageContaining("estimated tokens fit no model's context window");
		assertThat(failure.category()).isEqualTo(ErrorCategory.CONTEXT_WINDOW_EXCEEDED);
		assertThat(a.calls() + b.calls()).isZero();
	}

	@Test
	void contentPolicyHopsOnlyToContentPolicyFallbacks() {
		Fixture fixture = new Fixture();
		fixture.failing("primary", Step.fail(ErrorCategory.CONTENT_POLICY));
		ScriptedProvider next = fixture.healthy("next");
		fixture.healthy("lenient");
		FallbackEngine engine = fixture.chain((policy) -> policy.contentPolicyFallbacks("lenient"), "primary", "next")
			.engine();

		ChatResponse response = fixture.run(engine.chatService().chat(ChatRequest.of("hi"))).get();

		assertThat(response.servedBy()).isEqualTo("lenient");
		assertThat(next.calls()).isZero();
	}

	@Test
	void withoutContentPolicyFallbacksAContentPolicyFailureStops() {
		Fixture fixture = new Fixture();
		fixture.failing("primary", Step.fail(ErrorCategory.CONTENT_POLICY));
		ScriptedProvider next = fixture.healthy("next");
		FallbackEngine engine = fixture.chain("primary", "next").engine();

		LlmException failure = fixture.run(engine.chatService().chat(ChatRequest.of("hi"))).failure();

		assertThat(failure.category()).isEqualTo(ErrorCategory.CONTENT_POLICY);
		assertThat(failure).isNotInstanceOf(FallbackExhaustedException.class);
		assertThat(next.calls()).isZero();
	}

}
