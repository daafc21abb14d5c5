package dev.llmfallback.actuate.metrics;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import org.jspecify.annotations.Nullable;

import dev.llmfallback.ErrorCategory;
import dev.llmfallback.Usage;
import dev.llmfallback.event.AttemptEvent;
import dev.llmfallback.event.FallbackEvent;
import dev.llmfallback.event.FallbackEventListener;

/**
 * Records each call of a model (not the skips) as the OpenTelemetry GenAI client meters
 * {@value #OPERATION_DURATION} (timer) and {@value #TOKEN_USAGE} (distribution summary, input and
 * output tokens of successful calls), tagged {@code gen_ai.operation.name} ({@code chat} or {@code embeddings}),
 * {@code gen_ai.provider.name} (our provider type in OpenTelemetry's words),
 * {@code gen_ai.request.model}, {@code gen_ai.response.model} and {@code error.type} (the error
 * category, {@code none} on success), plus {@code gen_ai.token.type} on the token summary.
 *
 * <p>Every value but the response model comes from the configuration or a closed list. The
 * response model is what the provider reported ({@code none} when it reported nothing); a
 * provider could report any number of them, so after {@value #MAX_RESPONSE_MODELS} distinct ones
 * for a request model the rest are recorded as {@value #OTHER}.
 */
public final class GenAiClientMetrics implements FallbackEventListener {

	/** The timer of model calls. */
	public static final String OPERATION_DURATION = "gen_ai.client.operation.duration";

	/** The summary of tokens per call. */
	public static final String TOKEN_USAGE = "gen_ai.client.token.usage";

	/** Distinct response models kept per provider type and request model. */
	public static final int MAX_RESPONSE_MODELS = 16;

	/** The response model recorded past {@value #MAX_RESPONSE_MODELS}, as OpenTelemetry names a catch-all. */
	public static final String OTHER = "_OTHER";

	private static final String NONE = "none";

	private final MeterRegistry registry;

	/** provider type, then request model. */
	private final Map<String, Map<String, ModelMeters>> meters = new ConcurrentHashMap<>();

	public GenAiClientMetrics(MeterRegistry registry) {
		this.registry = registry;
	}

	/**
	 * The {@code gen_ai.provider.name} of a provider type: {@code azure-openai} is
	 * {@code azure.ai.openai}, {@code gemini} is {@code gcp.gemini}; {@code openai},
	 * {@code anthropic}, {@code cohere}, {@code ollama} and any other type keep their name.
	 * @param providerType the provider's type
	 * @return the OpenTelemetry provider name
	 */
	public static String providerName(@Nullable String providerType) {
		if (providerType == null) {
			return "custom";
		}
		return switch (providerType) {
			case "azure-openai" -> "azure.ai.openai";
			case "gemini" -> "gcp.gemini";
			default -> providerType;
		};
	}

	@Override
	public void onEvent(FallbackEvent event) {
		if (!(event instanceof AttemptEvent attempt) || attempt.attempt().skipped()) {
			return;
		}
		String providerType = (attempt.providerType() != null) ? attempt.providerType() : "custom";
		String requestModel = (attempt.requestModel() != null) ? attempt.requestModel() : attempt.attempt().model();
		Map<String, ModelMeters> byModel = this.meters.get(providerType);
		if (byModel == null) {
			byModel = this.meters.computeIfAbsent(providerType, (type) -> new ConcurrentHashMap<>());
		}
		ModelMeters model = byModel.get(requestModel);
		if (model == null) {
			// A model id is a chat model's or an embedding model's, so the operation is fixed with it.
			model = byModel.computeIfAbsent(requestModel,
					(name) -> new ModelMeters(providerType, name, attempt.operation()));
		}
		long nanos = attempt.attempt().duration().toNanos();
		if (attempt.error() != null) {
			model.failure(attempt.error().category()).record(nanos, TimeUnit.NANOSECONDS);
			return;
		}
		SuccessMeters success = model.success(attempt.responseModel());
		success.duration.record(nanos, TimeUnit.NANOSECONDS);
		Usage usage = attempt.usage();
		if (usage != null) {
			success.inputTokens.record(usage.inputTokens());
			if (!AttemptEvent.EMBEDDINGS.equals(attempt.operation())) {
				// An embedding answers no tokens: OpenTelemetry records only its input.
				success.outputTokens.record(usage.outputTokens());
			}
		}
	}

	/** The meters of one request model at one provider type. */
	private final class ModelMeters {

		private final Tags tags;

		private final Map<String, SuccessMeters> successes = new ConcurrentHashMap<>();

		/** Failures carry no response model: one timer per category. */
		private final AtomicReferenceArray<Timer> failures = new AtomicReferenceArray<>(ErrorCategory.values().length);

		ModelMeters(String providerType, String requestModel, String operation) {
			this.tags = Tags.of("gen_ai.operation.name", operation, "gen_ai.provider.name", providerName(providerType),
					"gen_ai.request.model", requestModel);
		}

		Timer failure(ErrorCategory category) {
			Timer timer = this.failures.get(category.ordinal());
			if (timer == null) {
				timer = duration(this.tags.and("gen_ai.response.model", NONE, "error.type", category.id()));
				this.failures.set(category.ordinal(), timer);
			}
			return timer;
		}

		SuccessMeters success(@Nullable String responseModel) {
			String key = (responseModel != null) ? responseModel : NONE;
			SuccessMeters meters = this.successes.get(key);
			if (meters == null) {
				if (this.successes.size() >= MAX_RESPONSE_MODELS) {
					key = OTHER;
				}
				meters = this.successes.computeIfAbsent(key, (name) -> new SuccessMeters(
						this.tags.and("gen_ai.response.model", name, "error.type", NONE)));
			}
			return meters;
		}

	}

	private Timer duration(Tags tags) {
		return Timer.builder(OPERATION_DURATION)
			.description("Duration of GenAI client operations: one call of a model")
			.tags(tags)
			.register(this.registry);
	}

	private DistributionSummary tokens(Tags tags, String type) {
		return DistributionSummary.builder(TOKEN_USAGE)
			.description("Number of input and output tokens used per call of a model")
			.tags(tags)
			.tag("gen_ai.token.type", type)
			.register(this.registry);
	}

	/** The meters of successful calls that one response model answered. */
	private final class SuccessMeters {

		private final Timer duration;

		private final DistributionSummary inputTokens;

		private final DistributionSummary outputTokens;

		SuccessMeters(Tags tags) {
			this.duration = duration(tags);
			this.inputTokens = tokens(tags, "input");
			this.outputTokens = tokens(tags, "output");
		}

	}

}
