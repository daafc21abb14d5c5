package dev.llmfallback.engine;

import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import dev.llmfallback.Attempt;
import dev.llmfallback.EmbeddingRequest;
import dev.llmfallback.EmbeddingResponse;
import dev.llmfallback.ErrorCategory;
import dev.llmfallback.LlmException;
import dev.llmfallback.LlmException.ClassificationBasis;
import dev.llmfallback.Usage;
import dev.llmfallback.provider.EmbeddingProvider;
import dev.llmfallback.provider.ProviderEmbeddingRequest;
import dev.llmfallback.provider.ProviderEmbeddings;

/**
 * An embedding call over the walk. One attempt embeds every input with one model: inputs above the
 * provider's batch size go in several calls to that model, joined in order, and a failed batch
 * fails the whole attempt, so the walk's retry or fallback serves the whole request again and an
 * answer never holds two models' vectors. The answer is checked before the walk hears of success:
 * a missing or extra vector, a vector of the wrong length or a number that is not finite is
 * {@code invalid_response}, retried and then passed to the next model like any other.
 */
final class EmbeddingCallDriver extends CallDriver<EmbeddingRequest, ProviderEmbeddings, EmbeddingResponse> {

	/** {@code null} when observations are off. */
	private final @Nullable RequestObservations observations;

	EmbeddingCallDriver(WalkContext context, @Nullable RequestObservations observations) {
		super(context, EmbeddingOperation.EMBED);
		this.observations = observations;
	}

	Mono<EmbeddingResponse> embed(CompiledPolicy policy, EmbeddingRequest request) {
		Mono<EmbeddingResponse> embed = run(policy, request);
		return (this.observations != null) ? this.observations.embed(policy.name(), embed) : embed;
	}

	@Override
	Mono<ProviderEmbeddings> send(Call call, EmbeddingRequest request) {
		ModelRuntime model = call.model(); // embedding models have no deployments (checked at assembly)
		EmbeddingProvider provider = model.embeddingProvider();
		if (provider == null) {
			// The assembly refuses such a model in an embedding policy; a chat policy never gets here.
			return Mono.error(failure(ErrorCategory.UNSUPPORTED, model, "has no embeddings"));
		}
		Integer asked = request.dimensions();
		if (asked != null && asked != model.dimensions() && !provider.reducesDimensions()) {
			return Mono.error(failure(ErrorCategory.UNSUPPORTED, model,
					"cannot shorten its vectors to " + asked + " dimensions"));
		}
		int expected = (asked != null) ? asked : model.dimensions();
		// A length the model gives anyway is not sent: some models (text-embedding-ada-002) refuse the parameter.
		Integer dimensions = (asked != null && asked != model.dimensions()) ? asked : model.requestedDimensions();
		List<String> inputs = request.inputs();
		int batch = Math.max(1, provider.maxBatchSize());
		if (inputs.size() <= batch) {
			return call(provider, model, inputs, dimensions, request)
				.map((answer) -> checked(model, answer, expected));
		}
		int batches = (inputs.size() + batch - 1) / batch;
		return Flux.range(0, batches)
			.concatMap((i) -> call(provider, model, inputs.subList(i * batch, Math.min(inputs.size(), (i + 1) * batch)),
					dimensions, request))
			.collectList()
			.map((answers) -> checked(model, joined(answers), expected));
	}

	private static Mono<ProviderEmbeddings> call(EmbeddingProvider provider, ModelRuntime model, List<String> inputs,
			@Nullable Integer dimensions, EmbeddingRequest request) {
		return provider
			.embed(new ProviderEmbeddingRequest(model.providerModelId(), inputs, dimensions, request.inputType()))
			.map((answer) -> {
				if (answer.vectors().size() != inputs.size()) {
					throw failure(ErrorCategory.INVALID_RESPONSE, model, "answered " + answer.vectors().size()
							+ " vectors for " + inputs.size() + " inputs");
				}
				return answer;
			});
	}

	private static ProviderEmbeddings joined(List<ProviderEmbeddings> answers) {
		List<float[]> vectors = new ArrayList<>();
		long input = 0;
		long total = 0;
		boolean counted = false;
		for (ProviderEmbeddings answer : answers) {
			vectors.addAll(answer.vectors());
			if (answer.usage() != null) {
				counted = true;
				input += answer.usage().inputTokens();
				total += answer.usage().totalTokens();
			}
		}
		return new ProviderEmbeddings(vectors, answers.get(0).providerModel(),
				counted ? new Usage(input, 0, total) : null);
	}

	/** Every vector present, of the expected length (or, when unknown, of one length), finite. */
	private static ProviderEmbeddings checked(ModelRuntime model, ProviderEmbeddings answer, int expected) {
		int length = expected;
		List<float[]> vectors = answer.vectors();
		for (int i = 0; i < vectors.size(); i++) {
			float[] vector = vectors.get(i);
			if (vector == null || vector.length == 0) {
				throw failure(ErrorCategory.INVALID_RESPONSE, model, "answered no vector for input " + i);
			}
			if (length == 0) {
				length = vector.length;
			}
			if (vector.length != length) {
				throw failure(ErrorCategory.INVALID_RESPONSE, model, "answered a vector of " + vector.length
						+ " numbers for input " + i + " where " + length + " were expected");
			}
			for (float value : vector) {
				if (!Float.isFinite(value)) {
					throw failure(ErrorCategory.INVALID_RESPONSE, model,
							"answered a vector with a number that is not finite (" + value + ") for input " + i);
				}
			}
		}
		return answer;
	}

	private static LlmException failure(ErrorCategory category, ModelRuntime model, String problem) {
		return LlmException.builder(category)
			.message("Model '" + model.name() + "' of provider '" + model.providerName() + "' " + problem)
			.basis((category == ErrorCategory.INVALID_RESPONSE) ? ClassificationBasis.BODY : ClassificationBasis.ENGINE)
			.model(model.name())
			.provider(model.providerName())
			.build();
	}

	@Override
	@Nullable String responseModel(ProviderEmbeddings answer) {
		return answer.providerModel();
	}

	@Override
	@Nullable Usage usage(ProviderEmbeddings answer) {
		return answer.usage();
	}

	@Override
	EmbeddingResponse answer(ProviderEmbeddings answer, Call call, List<Attempt> attempts) {
		ModelRuntime model = call.model();
		return new EmbeddingResponse(answer.vectors(), model.name(), model.providerName(), answer.providerModel(),
				answer.usage(), attempts);
	}

}
