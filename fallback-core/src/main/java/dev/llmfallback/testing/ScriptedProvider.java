package dev.llmfallback.testing;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Queue;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

import dev.llmfallback.ChatRequest;
import dev.llmfallback.LlmException;
import dev.llmfallback.provider.ChatProvider;
import dev.llmfallback.provider.EmbeddingProvider;
import dev.llmfallback.provider.ProviderEmbeddingRequest;
import dev.llmfallback.provider.ProviderEmbeddings;
import dev.llmfallback.provider.ProviderChunk;
import dev.llmfallback.provider.ProviderRequest;
import dev.llmfallback.provider.ProviderResponse;
import dev.llmfallback.provider.http.OpenAiParams;

/**
 * An in-memory {@link ChatProvider} that follows a script, for tests of code that uses the engine:
 * each call takes the next {@link Step} (succeed, fail with any category, delay, hang, stream chunks
 * and then fail); once the script is used up, every call takes the {@code otherwise} step (by
 * default, the reply {@code "ok"}). Records every request, and counts calls, cancellations and calls
 * in flight. Thread-safe.
 *
 * <pre>{@code
 * ScriptedProvider primary = ScriptedProvider.builder("primary")
 *     .then(Step.fail(ErrorCategory.SERVICE_UNAVAILABLE).status(503))
 *     .otherwise(Step.reply("hello"))
 *     .build();
 * }</pre>
 *
 * Delays run on {@link Schedulers#parallel()} as resolved at each call, so they follow a
 * virtual-time scheduler installed by {@code StepVerifier.withVirtualTime}.
 *
 * <p>It serves embeddings too, from the same script: a step that succeeds answers one
 * deterministic vector per input (of {@link Builder#dimensions(int)} numbers, the same for the same
 * text), or what {@link Builder#vectors(Function)} computes; a failing, delayed or hanging step
 * behaves as it does for a chat.
 *
 * <p>Like a real adapter, it can name parameters it has no equivalent for
 * ({@link Builder#unsupportedParams(Function)}): a call that may not drop them fails with category
 * {@code unsupported}, one with {@link ProviderRequest#dropUnsupported()} goes ahead.
 *
 * <p>Over 300 lines: one script serves calls, streams and embeddings, and its public factories and
 * builder are the documented test API users write against.
 */
public final class ScriptedProvider implements ChatProvider, EmbeddingProvider {

	private final String name;

	private final String type;

	private final Queue<Step> script;

	private final Step otherwise;

	private final Supplier<Scheduler> scheduler;

	private final List<ProviderRequest> requests = new CopyOnWriteArrayList<>();

	private final List<ProviderEmbeddingRequest> embeddingRequests = new CopyOnWriteArrayList<>();

	private final Function<List<String>, List<float[]>> vectors;

	private final int maxBatchSize;

	private final boolean vectorsAreDefault;

	private final AtomicInteger cancellations = new AtomicInteger();

	private final AtomicInteger inFlight = new AtomicInteger();

	private final Function<ChatRequest, List<String>> unsupportedParams;

	private final int imageTokens;

	private final AtomicInteger paramQuestions = new AtomicInteger();

	private ScriptedProvider(Builder builder) {
		this.unsupportedParams = builder.unsupportedParams;
		this.imageTokens = builder.imageTokens;
		this.name = builder.name;
		this.type = builder.type;
		this.script = new ConcurrentLinkedQueue<>(builder.steps);
		this.otherwise = builder.otherwise;
		this.scheduler = builder.scheduler;
		int dimensions = builder.dimensions;
		this.vectors = (builder.vectors != null) ? builder.vectors : (inputs) -> vectorsOf(inputs, dimensions);
		this.maxBatchSize = builder.maxBatchSize;
		this.vectorsAreDefault = builder.vectors == null;
	}

	/**
	 * Deterministic vectors: the same text gives the same vector, of finite numbers in [-1, 1).
	 * @param inputs the texts
	 * @param dimensions the length of each vector
	 * @return one vector per text
	 */
	public static List<float[]> vectorsOf(List<String> inputs, int dimensions) {
		List<float[]> vectors = new ArrayList<>(inputs.size());
		for (String input : inputs) {
			SplittableRandom random = new SplittableRandom(input.hashCode());
			float[] vector = new float[dimensions];
			for (int i = 0; i < dimensions; i++) {
				vector[i] = (float) (random.nextDouble() * 2 - 1);
			}
			vectors.add(vector);
		}
		return vectors;
	}

	public static Builder builder(String name) {
		return new Builder(name);
	}

	/**
	 * A provider that always answers with this text.
	 * @param name the provider's name
	 * @param reply the answer
	 * @return the provider
	 */
	public static ScriptedProvider replying(String name, String reply) {
		return builder(name).otherwise(Step.reply(reply)).build();
	}

	@Override
	public String name() {
		return this.name;
	}

	@Override
	public String type() {
		return this.type;
	}

	@Override
	public List<String> unsupportedParams(ChatRequest request) {
		this.paramQuestions.incrementAndGet();
		return this.unsupportedParams.apply(request);
	}

	/** @return how many times {@link #unsupportedParams(ChatRequest)} was asked (by the engine) */
	public int paramQuestions() {
		return this.paramQuestions.get();
	}

	@Override
	public int imageTokens() {
		return this.imageTokens;
	}

	/** What a real adapter does with parameters it cannot carry and may not drop: refuses the call. */
	private @Nullable LlmException refusal(ProviderRequest request) {
		if (request.dropUnsupported()) {
			return null;
		}
		List<String> names = this.unsupportedParams.apply(request.request());
		return names.isEmpty() ? null : OpenAiParams.unsupported(this.name, names);
	}

	@Override
	public Mono<ProviderResponse> chat(ProviderRequest request) {
		return Mono.defer(() -> {
			Step step = take(request);
			LlmException refusal = refusal(request);
			Mono<ProviderResponse> answer;
			if (refusal != null) {
				answer = Mono.error(refusal);
			}
			else if (step.failure() != null) {
				answer = Mono.error(step.failure());
			}
			else if (step.hangs()) {
				answer = Mono.never();
			}
			else {
				answer = Mono.just(new ProviderResponse(String.join("", step.chunks()), step.finishReason(),
						step.providerModel(), step.usage(), step.toolCalls()));
			}
			return delayed(step, answer);
		}).doOnCancel(this.cancellations::incrementAndGet).doFinally((signal) -> this.inFlight.decrementAndGet());
	}

	@Override
	public Flux<ProviderChunk> stream(ProviderRequest request) {
		return Flux.defer(() -> {
			Step step = take(request);
			LlmException refusal = refusal(request);
			if (refusal != null) {
				return Flux.error(refusal);
			}
			Scheduler scheduler = this.scheduler.get();
			Flux<ProviderChunk> chunks = Flux.fromIterable(step.chunks())
				.map(ProviderChunk::text)
				.concatWith(Flux.fromIterable(step.toolCallDeltas()).map((delta) -> ProviderChunk.toolCalls(List.of(delta))));
			if (!step.interval().isZero()) {
				chunks = chunks.delayElements(step.interval(), scheduler);
			}
			Flux<ProviderChunk> end;
			if (step.failure() != null) {
				end = step.interval().isZero() ? Flux.error(step.failure())
						: Mono.delay(step.interval(), scheduler).then(Mono.<ProviderChunk>error(step.failure())).flux();
			}
			else if (step.hangs()) {
				end = Flux.never();
			}
			else {
				end = Flux.just(new ProviderChunk("", step.finishReason(), step.providerModel(), step.usage()));
			}
			Flux<ProviderChunk> all = chunks.concatWith(end);
			return step.delay().isZero() ? all : Mono.delay(step.delay(), scheduler).thenMany(all);
		}).doOnCancel(this.cancellations::incrementAndGet).doFinally((signal) -> this.inFlight.decrementAndGet());
	}

	@Override
	public int maxBatchSize() {
		return this.maxBatchSize;
	}

	@Override
	public boolean reducesDimensions() {
		return true;
	}

	@Override
	public Mono<ProviderEmbeddings> embed(ProviderEmbeddingRequest request) {
		return Mono.defer(() -> {
			this.embeddingRequests.add(request);
			this.inFlight.incrementAndGet();
			Step polled = this.script.poll();
			Step step = (polled != null) ? polled : this.otherwise;
			Mono<ProviderEmbeddings> answer;
			if (step.failure() != null) {
				answer = Mono.error(step.failure());
			}
			else if (step.hangs()) {
				answer = Mono.never();
			}
			else {
				List<float[]> vectors = (request.dimensions() != null && this.vectorsAreDefault)
						? vectorsOf(request.inputs(), request.dimensions()) : this.vectors.apply(request.inputs());
				answer = Mono.just(new ProviderEmbeddings(vectors, step.providerModel(), step.usage()));
			}
			return delayed(step, answer);
		}).doOnCancel(this.cancellations::incrementAndGet).doFinally((signal) -> this.inFlight.decrementAndGet());
	}

	/** @return every embedding request received (one per batch), in order */
	public List<ProviderEmbeddingRequest> embeddingRequests() {
		return Collections.unmodifiableList(new ArrayList<>(this.embeddingRequests));
	}

	private Step take(ProviderRequest request) {
		this.requests.add(request);
		this.inFlight.incrementAndGet();
		Step step = this.script.poll();
		return (step != null) ? step : this.otherwise;
	}

	private <T> Mono<T> delayed(Step step, Mono<T> answer) {
		return step.delay().isZero() ? answer : Mono.delay(step.delay(), this.scheduler.get()).then(answer);
	}

	/** @return how many calls (streamed or not) reached this provider */
	public int calls() {
		return this.requests.size();
	}

	/** @return every request received, in order */
	public List<ProviderRequest> requests() {
		return Collections.unmodifiableList(new ArrayList<>(this.requests));
	}

	/** @return how many calls their caller cancelled before they ended */
	public int cancellations() {
		return this.cancellations.get();
	}

	/** @return how many calls are running now */
	public int inFlight() {
		return this.inFlight.get();
	}

	@Override
	public String toString() {
		return "ScriptedProvider[" + this.name + "]";
	}

	/** Builds a {@link ScriptedProvider}. Not thread-safe. */
	public static final class Builder {

		private final String name;

		private String type = "scripted";

		private final List<Step> steps = new ArrayList<>();

		private Step otherwise = Step.reply("ok");

		private Supplier<Scheduler> scheduler = Schedulers::parallel;

		private int dimensions = 8;

		private @Nullable Function<List<String>, List<float[]>> vectors;

		private int maxBatchSize = 96;

		private Function<ChatRequest, List<String>> unsupportedParams = (request) -> List.of();

		private int imageTokens = 1000;

		private Builder(String name) {
			this.name = Objects.requireNonNull(name, "name");
		}

		/** Appends steps to the script, taken one per call. */
		public Builder then(Step... steps) {
			this.steps.addAll(List.of(steps));
			return this;
		}

		/** Appends the same step {@code times} times. */
		public Builder times(int times, Step step) {
			for (int i = 0; i < times; i++) {
				this.steps.add(step);
			}
			return this;
		}

		/** The step every call takes once the script is used up. */
		public Builder otherwise(Step step) {
			this.otherwise = Objects.requireNonNull(step, "step");
			return this;
		}

		/** The provider type reported to the engine ({@code scripted} by default). */
		public Builder type(String type) {
			this.type = Objects.requireNonNull(type, "type");
			return this;
		}

		/** Runs the delays on this scheduler instead of {@link Schedulers#parallel()}. */
		public Builder scheduler(Scheduler scheduler) {
			Objects.requireNonNull(scheduler, "scheduler");
			this.scheduler = () -> scheduler;
			return this;
		}

		/** The length of the vectors a succeeding embedding step answers (8 by default). */
		public Builder dimensions(int dimensions) {
			this.dimensions = dimensions;
			return this;
		}

		/** Computes the vectors a succeeding embedding step answers, e.g. too few or of the wrong length. */
		public Builder vectors(Function<List<String>, List<float[]>> vectors) {
			this.vectors = Objects.requireNonNull(vectors, "vectors");
			return this;
		}

		/** The most inputs one embedding call takes (96 by default); larger requests are split. */
		public Builder maxBatchSize(int maxBatchSize) {
			this.maxBatchSize = maxBatchSize;
			return this;
		}

		/**
		 * Names the parameters of a request this provider has no equivalent for, as
		 * {@link ChatProvider#unsupportedParams} (none by default); a call that may not drop them
		 * fails with category {@code unsupported}.
		 */
		public Builder unsupportedParams(Function<ChatRequest, List<String>> unsupportedParams) {
			this.unsupportedParams = Objects.requireNonNull(unsupportedParams, "unsupportedParams");
			return this;
		}

		/** The tokens one image costs on this provider ({@link ChatProvider#imageTokens()}; 1000 by default). */
		public Builder imageTokens(int imageTokens) {
			this.imageTokens = imageTokens;
			return this;
		}

		public ScriptedProvider build() {
			return new ScriptedProvider(this);
		}

	}

}
