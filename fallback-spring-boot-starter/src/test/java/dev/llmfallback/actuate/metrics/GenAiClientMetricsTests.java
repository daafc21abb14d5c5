package dev.llmfallback.actuate.metrics;

import java.time.Duration;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import dev.llmfallback.Attempt;
import dev.llmfallback.AttemptKind;
import dev.llmfallback.SkipReason;
import dev.llmfallback.Usage;
import dev.llmfallback.event.AttemptEvent;

import static org.assertj.core.api.Assertions.assertThat;

class GenAiClientMetricsTests {

	private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

	private final GenAiClientMetrics metrics = new GenAiClientMetrics(this.registry);

	@Test
	void providerTypesAreNamedAsOpenTelemetryNamesThem() {
		assertThat(GenAiClientMetrics.providerName("openai")).isEqualTo("openai");
		assertThat(GenAiClientMetrics.providerName("azure-openai")).isEqualTo("azure.ai.openai");
		assertThat(GenAiClientMetrics.providerName("anthropic")).isEqualTo("anthropic");
		assertThat(GenAiClientMetrics.providerName("gemini")).isEqualTo("gcp.gemini");
		assertThat(GenAiClientMetrics.providerName("cohere")).isEqualTo("cohere");
		assertThat(GenAiClientMetrics.providerName("ollama")).isEqualTo("ollama");
		assertThat(GenAiClientMetrics.providerName("custom")).isEqualTo("custom");
	}

	@Test
	void aSkipIsNoOperation() {
		this.metrics.onEvent(new AttemptEvent("chat", Attempt.skipped("m", "p", AttemptKind.PRIMARY, SkipReason.COOLDOWN),
				"openai", "gpt-4o", null, null, null, false));
		assertThat(this.registry.getMeters()).isEmpty();
	}

	@Test
	void responseModelsAreBoundedPerRequestModel() {
		for (int i = 0; i < GenAiClientMetrics.MAX_RESPONSE_MODELS + 5; i++) {
			this.metrics.onEvent(success("gpt-4o-snapshot-" + i));
		}
		assertThat(this.registry.find(GenAiClientMetrics.OPERATION_DURATION).timers())
			.hasSize(GenAiClientMetrics.MAX_RESPONSE_MODELS + 1);
		assertThat(this.registry.get(GenAiClientMetrics.OPERATION_DURATION)
			.tag("gen_ai.response.model", GenAiClientMetrics.OTHER)
			.timer()
			.count()).isEqualTo(5);
	}

	private static AttemptEvent success(String responseModel) {
		return new AttemptEvent("chat", Attempt.success("m", "p", AttemptKind.PRIMARY, Duration.ofMillis(5)), "openai",
				"gpt-4o", responseModel, Usage.of(1, 1), null, false);
	}

}
