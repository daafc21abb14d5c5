package dev.llmfallback.engine;

import java.time.Duration;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.llmfallback.ChatRequest;
import dev.llmfallback.ChatResponse;
import dev.llmfallback.ErrorCategory;
import dev.llmfallback.FallbackExhaustedException;
import dev.llmfallback.LlmException;
import dev.llmfallback.engine.ModelStatus.State;
import dev.llmfallback.policy.CooldownSpec;
import dev.llmfallback.policy.RetrySpec;
import dev.llmfallback.testing.ScriptedProvider;
import dev.llmfallback.testing.Step;

import static dev.llmfallback.ErrorCategory.AUTHENTICATION;
import static dev.llmfallback.ErrorCategory.BAD_REQUEST;
import static dev.llmfallback.ErrorCategory.CONNECTION;
import static dev.llmfallback.ErrorCategory.CONTENT_POLICY;
import static dev.llmfallback.ErrorCategory.CONTEXT_WINDOW_EXCEEDED;
import static dev.llmfallback.ErrorCategory.INVALID_RESPONSE;
import static dev.llmfallback.ErrorCategory.NOT_FOUND;
import static dev.llmfallback.ErrorCategory.PERMISSION_DENIED;
import static dev.llmfallback.ErrorCategory.QUOTA_EXCEEDED;
import static dev.llmfallback.ErrorCategory.RATE_LIMIT;
import static dev.llmfallback.ErrorCategory.SERVER_ERROR;
import static dev.llmfallback.ErrorCategory.SERVICE_UNAVAILABLE;
import static dev.llmfallback.ErrorCategory.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * Every row of DESIGN.md's decision table: whether a failure of each category retries the same
 * model, hops to the next one, and how it counts toward a cooldown. The expectations are written
 * out here, not read from {@link ErrorCategory}, so a wrong default there fails these tests.
 */
class DecisionTableTests {

	static Stream<Arguments> table() {
		return Stream.of(
				// category, retried, falls back, cooldown effect
				arguments(RATE_LIMIT, true, true, "counts"),
				arguments(SERVICE_UNAVAILABLE, true, true, "counts"),
				arguments(SERVER_ERROR, true, true, "counts"),
				arguments(TIMEOUT, true, true, "counts"),
				arguments(INVALID_RESPONSE, true, true, "counts"),
				arguments(CONNECTION, false, true, "immediate"),
				arguments(QUOTA_EXCEEDED, false, true, "immediate"),
				arguments(AUTHENTICATION, false, true, "immediate"),
				arguments(PERMISSION_DENIED, false, true, "immediate"),
				arguments(NOT_FOUND, false, true, "immediate"),
				arguments(CONTEXT_WINDOW_EXCEEDED, false, true, "none"),
				arguments(CONTENT_POLICY, false, true, "none"),
				arguments(BAD_REQUEST, false, false, "none"));
	}

	@ParameterizedTest(name = "{0}: retried={1}, falls back={2}")
	@MethodSource("table")
	void retriesAndFallsBackAsTheTableSays(ErrorCategory category, boolean retried, boolean fallsBack, String cooldown) {
		Fixture fixture = new Fixture();
		ScriptedProvider primary = fixture.failing("primary", Step.fail(category));
		ScriptedProvider secondary = fixture.healthy("secondary");
		// The secondary is a content-policy fallback too, so content_policy can hop (its own rule is
		// tested in ContentPolicyFallbackTests).
		FallbackEngine engine = fixture.chain((policy) -> policy.contentPolicyFallbacks("secondary"), "primary",
				"secondary").engine();

		Fixture.Result<ChatResponse> result = fixture.run(engine.chatService().chat(ChatRequest.of("hi")));

		assertThat(primary.calls()).as("calls to the failing model").isEqualTo(retried ? 3 : 1);
		if (fallsBack) {
			assertThat(result.get().servedBy()).isEqualTo("secondary");
			assertThat(result.get().fallbacks()).isEqualTo(1);
			assertThat(fixture.hops()).containsExactly("primary->secondary:" + category.id());
		}
		else {
			LlmException failure = result.failure();
			assertThat(failure).isNotInstanceOf(FallbackExhaustedException.class);
			assertThat(failure.category()).isEqualTo(category);
			assertThat(failure.attempts()).hasSize(1);
			assertThat(secondary.calls()).isZero();
		}
	}

	@ParameterizedTest(name = "{0}: cooldown {3}")
	@MethodSource("table")
	void countsTowardCooldownAsTheTableSays(ErrorCategory category, boolean retried, boolean fallsBack,
			String cooldown) {
		Fixture fixture = new Fixture();
		fixture.failing("primary", Step.fail(category));
		fixture.healthy("secondary");
		FallbackEngine engine = fixture
			.chain((policy) -> policy.retry(RetrySpec.builder().maxRetries(0).build())
				.cooldown(CooldownSpec.builder().failures(2).window(Duration.ofMinutes(1)).build()), "primary",
					"secondary")
			.engine();

		fixture.run(engine.chatService().chat(ChatRequest.of("hi")));
		ModelStatus afterOne = engine.modelStatus("primary");
		fixture.run(engine.chatService().chat(ChatRequest.of("hi")));
		ModelStatus afterTwo = engine.modelStatus("primary");

		switch (cooldown) {
			case "immediate" -> {
				assertThat(afterOne.state()).isEqualTo(State.COOLING_DOWN);
				assertThat(afterOne.cooldownReason()).isEqualTo(category);
			}
			case "counts" -> {
				assertThat(afterOne.state()).isEqualTo(State.AVAILABLE);
				assertThat(afterOne.failuresInWindow()).isEqualTo(1);
				assertThat(afterTwo.state()).isEqualTo(State.COOLING_DOWN);
				assertThat(afterTwo.cooldownReason()).isEqualTo(category);
			}
			default -> {
				assertThat(afterTwo.state()).isEqualTo(State.AVAILABLE);
				assertThat(afterTwo.failuresInWindow()).isZero();
				assertThat(afterTwo.lastError()).isNull();
			}
		}
	}

}
