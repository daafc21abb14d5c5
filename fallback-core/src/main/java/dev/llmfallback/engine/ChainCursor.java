package dev.llmfallback.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

import dev.llmfallback.AttemptKind;
import dev.llmfallback.ErrorCategory;
import dev.llmfallback.SkipReason;
import dev.llmfallback.event.HopEvent;

/**
 * A walk's place in its chain: which models it has reached, which list it walks (the chain, or a
 * fallback list a failure rerouted it to), and whether the next model can take the request (its
 * context window, its capabilities, the parameters its provider can carry, its circuit). Skips and
 * hops are told to the {@link WalkRecord}.
 *
 * <p>Over 300 lines: admission asks one question in several ways (capabilities, parameters a provider
 * cannot carry, the window with images, the circuit, capacity) that share the walk's skip record and
 * its reroutes; what each model lacks is {@link ModelShortfalls}.
 */
final class ChainCursor {

	private final CompiledPolicy policy;

	private final WalkRecord record;

	/** The capabilities the request needs, as {@link Needs} bits. */
	private final int needs;

	/** Whether each model's provider is asked what of the request it cannot carry. */
	private final boolean askParams;

	/** The images in the prompt, or -1 until asked (only asked of requests that need vision). */
	private int images = -1;

	/** A bound on the prompt's tokens, or -1 until asked. */
	private long tokenBound = -1;

	/** The prompt's estimated tokens, or -1 while not counted (most requests never are). */
	private int promptTokens = -1;

	/** The list being walked: the chain, or a fallback list a failure rerouted to. */
	private List<ModelRuntime> candidates;

	private int position;

	/** Models reached, by {@link ModelRuntime#index()}; {@code moreVisited} holds indexes from 64 on. */
	private long visited;

	private @Nullable List<ModelRuntime> moreVisited;

	/** Models skipped because they were cooling down, in case every model is. */
	private @Nullable List<ModelRuntime> cooling;

	private boolean forcedThroughCooldown;

	/** What models fall short of in the request; {@code null} while none did. */
	private @Nullable ModelShortfalls shortfalls;

	/** The model most recently reached; the next hop leaves from it. */
	private @Nullable ModelRuntime current;

	private @Nullable String hopReason;

	/** The deployment of the model admitted last. */
	private @Nullable Deployment picked;

	/** Made for the first model with several deployments. */
	private @Nullable DeploymentPicker picker;

	ChainCursor(CompiledPolicy policy, WalkRecord record, int needs) {
		this.policy = policy;
		this.record = record;
		this.needs = needs & Needs.CAPABILITIES;
		this.askParams = (needs & Needs.PARAMS) != 0;
		this.candidates = policy.chain();
	}

	/** @return the next model of the list not reached yet, or {@code null} at its end */
	@Nullable ModelRuntime nextUnvisited() {
		while (this.position < this.candidates.size()) {
			ModelRuntime model = this.candidates.get(this.position++);
			if (!isVisited(model)) {
				return model;
			}
		}
		return null;
	}

	/**
	 * Reaches a model and decides whether to call it.
	 * @param model the model from {@link #nextUnvisited()}
	 * @param kind the kind its call would be
	 * @param prompt counts the prompt's tokens when its window needs them
	 * @param now the engine clock's time
	 * @return how to call it, or {@code null} when it was skipped
	 */
	ModelCircuit.@Nullable Admission admit(ModelRuntime model, AttemptKind kind, PromptSize prompt, long now) {
		visit(model);
		reach(model);
		int lacks = model.lacks(this.needs);
		List<String> params = this.askParams ? prompt.unsupportedParams(model) : List.of();
		boolean refused = !params.isEmpty() && !this.policy.policy().dropUnsupportedParams();
		if (lacks != 0 || refused) {
			skip(model, kind, SkipReason.UNSUPPORTED, ErrorCategory.UNSUPPORTED.id());
			shortfalls().skipped(model, lacks, refused ? params : List.of());
			return null;
		}
		if (!params.isEmpty()) {
			shortfalls().dropping(model, params);
		}
		if (!fits(model, prompt)) {
			skip(model, kind, SkipReason.CONTEXT_WINDOW, ErrorCategory.CONTEXT_WINDOW_EXCEEDED.id());
			rerouteForContextWindow(model);
			return null;
		}
		ModelCircuit.Admission admission = admitDeployment(model, now);
		if (admission == ModelCircuit.Admission.COOLING) {
			skip(model, kind, SkipReason.COOLDOWN, HopEvent.COOLDOWN);
			if (this.cooling == null) {
				this.cooling = new ArrayList<>(2);
			}
			this.cooling.add(model);
			return null;
		}
		if (admission == null) {
			skip(model, kind, SkipReason.CAPACITY, SkipReason.CAPACITY.id());
			return null;
		}
		return admission;
	}

	/**
	 * Picks the deployment of the model to call ({@link #picked()}) and takes its admission.
	 * @return the admission; {@code COOLING} when every deployment cools down, {@code null} when
	 * the ones that do not are at their rpm/tpm limits
	 */
	private ModelCircuit.@Nullable Admission admitDeployment(ModelRuntime model, long now) {
		Deployment only = model.onlyDeployment();
		if (only != null) {
			ModelCircuit.Admission admission = only.circuit().tryAcquire(now);
			if (admission != ModelCircuit.Admission.COOLING && !only.takeCapacity(now)) {
				if (admission == ModelCircuit.Admission.TRIAL) {
					only.circuit().releaseTrial();
				}
				return null;
			}
			this.picked = only;
			return admission;
		}
		DeploymentPicker picker = picker();
		Deployment deployment = picker.pick(model, false, now);
		if (deployment == null) {
			return picker.refusedForCapacity() ? null : ModelCircuit.Admission.COOLING;
		}
		this.picked = deployment;
		return picker.admission();
	}

	/**
	 * The deployment for a retry of a model: another healthy one this walk has not called first, else
	 * the one that failed (a retry ignores cooldowns, as it always has), unless its limit refuses it.
	 * @param model the model retried
	 * @param failed the deployment that failed
	 * @param now the engine clock's time
	 * @return the deployment, or {@code null} when its limit refuses the retry
	 */
	@Nullable Deployment retryDeployment(ModelRuntime model, Deployment failed, long now) {
		if (model.onlyDeployment() == null) {
			DeploymentPicker picker = picker();
			Deployment other = picker.pick(model, true, now);
			if (other != null) {
				if (picker.admission() == ModelCircuit.Admission.TRIAL) {
					other.circuit().releaseTrial(); // a retry is no trial: leave it to a first call
				}
				return other;
			}
		}
		return failed.takeCapacity(now) ? failed : null;
	}

	/**
	 * Whether a model with several deployments has one this walk has not called that could take a
	 * call now (not cooling down, under its limits).
	 */
	boolean hasUntriedDeployment(ModelRuntime model, long now) {
		return model.onlyDeployment() == null && this.picker != null && this.picker.hasUntried(model, now);
	}

	/** @return the deployment of the model admitted or forced through last */
	Deployment picked() {
		return Objects.requireNonNull(this.picked, "picked");
	}

	/** The next model reached is a hedge, not a hop after a failure. */
	void hedging() {
		this.hopReason = AttemptKind.HEDGE.id();
	}

	private DeploymentPicker picker() {
		if (this.picker == null) {
			this.picker = new DeploymentPicker(this.policy.router());
		}
		return this.picker;
	}

	/**
	 * When every candidate was cooling down and nothing was called, the one that recovers first is
	 * called anyway rather than fail unheard (once per walk).
	 * @return that model, reached, or {@code null}
	 */
	@Nullable ModelRuntime forceThroughCooldown() {
		if (this.cooling == null || this.forcedThroughCooldown) {
			return null;
		}
		this.forcedThroughCooldown = true;
		ModelRuntime soonest = this.cooling.get(0);
		for (ModelRuntime model : this.cooling) {
			if (model.coolingEndsAt() - soonest.coolingEndsAt() < 0) {
				soonest = model;
			}
		}
		reach(soonest);
		this.picked = soonest.soonestDeployment();
		return soonest;
	}

	/**
	 * The models this walk may still call: not reached yet, able to serve the request and not
	 * cooling down now. Retries of one model stop when the calls left equal this count. Providers are
	 * not asked about parameters here: a model that will refuse them still counts, which only spares
	 * a retry too many.
	 * @param now the engine clock's time
	 * @return the count
	 */
	int modelsLeftToTry(long now) {
		int left = 0;
		for (int i = this.position; i < this.candidates.size(); i++) {
			ModelRuntime model = this.candidates.get(i);
			if (!isVisited(model) && model.lacks(this.needs) == 0 && !model.isCooling(now)
					&& (this.promptTokens < 0 || model.maxInputTokens() == 0
							|| this.promptTokens + imageTokens(model) <= model.maxInputTokens())) {
				left++;
			}
		}
		return left;
	}

	/** A failure of this category hops on: reroute where the policy says. */
	void hopAfter(ModelRuntime failed, ErrorCategory category) {
		this.hopReason = category.id();
		if (category == ErrorCategory.CONTEXT_WINDOW_EXCEEDED) {
			rerouteForContextWindow(failed);
		}
		else if (category == ErrorCategory.CONTENT_POLICY) {
			reroute(this.policy.contentPolicyFallbacks());
		}
	}

	/** @return the prompt's estimate, or -1 when it was never counted */
	int promptTokens() {
		return this.promptTokens;
	}

	/** @return per model skipped as unsupported, what it lacks, or {@code null} */
	@Nullable String unsupported() {
		return (this.shortfalls != null) ? this.shortfalls.unsupported() : null;
	}

	/**
	 * @param model a model {@link #admit admitted}
	 * @return the request's parameters its provider has no equivalent for, to leave out of its
	 * calls (the policy sets {@code drop-unsupported-params}); empty when nothing is left out
	 */
	List<String> droppedParams(ModelRuntime model) {
		return (this.shortfalls != null) ? this.shortfalls.droppedParams(model) : List.of();
	}

	private ModelShortfalls shortfalls() {
		if (this.shortfalls == null) {
			this.shortfalls = new ModelShortfalls();
		}
		return this.shortfalls;
	}

	private void skip(ModelRuntime model, AttemptKind kind, SkipReason reason, String hopReason) {
		this.record.skipped(model, kind, reason);
		this.hopReason = hopReason;
	}

	/** Moving to another model is a hop; it leaves from the model reached last. */
	private void reach(ModelRuntime model) {
		if (this.current != null && this.current != model) {
			// Whatever leaves a model (a failure, a skip, a hedge) names its reason first.
			this.record.hop(this.current, model, Objects.requireNonNull(this.hopReason));
		}
		this.current = model;
	}

	private boolean fits(ModelRuntime model, PromptSize prompt) {
		if (model.maxInputTokens() == 0) {
			return true;
		}
		if ((this.needs & Needs.VISION) != 0 && this.images < 0) {
			this.images = prompt.images();
		}
		long images = imageTokens(model);
		if (this.promptTokens < 0) {
			// Most prompts are far smaller than any window: prove it without tokenizing.
			if (this.tokenBound < 0) {
				this.tokenBound = prompt.upperBound();
			}
			if (this.tokenBound + images <= this.policy.smallestWindow()) {
				return true;
			}
			this.promptTokens = prompt.estimate();
		}
		return this.promptTokens + images <= model.maxInputTokens();
	}

	/** Images cost each provider its own figure, so they are counted per model, beside the text. */
	private long imageTokens(ModelRuntime model) {
		return (this.images > 0) ? (long) this.images * model.provider().imageTokens() : 0;
	}

	private void rerouteForContextWindow(ModelRuntime tooSmall) {
		if (!this.policy.contextWindowFallbacks().isEmpty()) {
			reroute(this.policy.contextWindowFallbacks());
			return;
		}
		List<ModelRuntime> larger = new ArrayList<>();
		for (int i = this.position; i < this.candidates.size(); i++) {
			ModelRuntime model = this.candidates.get(i);
			if (mayHoldMore(model, tooSmall)) {
				larger.add(model);
			}
		}
		reroute(larger);
	}

	/** Larger windows; with images, larger once each model's own image cost is taken off. */
	private boolean mayHoldMore(ModelRuntime model, ModelRuntime tooSmall) {
		if (this.images <= 0 || model.maxInputTokens() == 0 || tooSmall.maxInputTokens() == 0) {
			return model.mayHoldMoreThan(tooSmall);
		}
		return model.maxInputTokens() - imageTokens(model) > tooSmall.maxInputTokens() - imageTokens(tooSmall);
	}

	private void reroute(List<ModelRuntime> models) {
		this.candidates = models;
		this.position = 0;
	}

	private boolean isVisited(ModelRuntime model) {
		int index = model.index();
		return (index < 64) ? (this.visited & (1L << index)) != 0
				: this.moreVisited != null && this.moreVisited.contains(model);
	}

	private void visit(ModelRuntime model) {
		int index = model.index();
		if (index < 64) {
			this.visited |= 1L << index;
		}
		else {
			if (this.moreVisited == null) {
				this.moreVisited = new ArrayList<>(2);
			}
			this.moreVisited.add(model);
		}
	}

	/**
	 * What {@link #admit} asks of the request: its size, and what a model's provider cannot carry of
	 * it. The walk answers from its {@link Operation}.
	 */
	interface PromptSize {

		long upperBound();

		int estimate();

		/** @return the images in the prompt, each counted at the model's provider's figure */
		int images();

		/**
		 * Asked only of requests that need it ({@link Needs#PARAMS}).
		 * @param model the model
		 * @return what of the request the model's provider has no equivalent for
		 */
		List<String> unsupportedParams(ModelRuntime model);

	}


}
