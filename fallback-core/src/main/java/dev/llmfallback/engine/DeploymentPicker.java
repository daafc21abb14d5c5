package dev.llmfallback.engine;

import org.jspecify.annotations.Nullable;

/**
 * One walk's choice among the deployments of a model that has several: only deployments that are
 * not cooling down and under their limits are eligible; the policy's {@link DeploymentRouter} picks
 * one of them; a retry prefers one this walk has not called yet. Made only for models with several
 * deployments, so a walk over single-deployment models never builds one.
 */
final class DeploymentPicker {

	private final DeploymentRouter router;

	private @Nullable ModelRuntime model;

	/** The deployments of {@link #model} this walk called, a bit each. */
	private long tried;

	private ModelCircuit.@Nullable Admission admission;

	private boolean refusedForCapacity;

	DeploymentPicker(DeploymentRouter router) {
		this.router = router;
	}

	/**
	 * Picks a deployment of a model, taking its circuit's admission and a request of its capacity.
	 * @param model the model
	 * @param preferUntried whether a deployment this walk has not called comes first (a retry)
	 * @param now the engine clock's time
	 * @return the deployment, or {@code null} when every one is cooling down or at capacity
	 */
	@Nullable Deployment pick(ModelRuntime model, boolean preferUntried, long now) {
		if (this.model != model) {
			this.model = model;
			this.tried = 0;
		}
		Deployment[] deployments = model.deployments();
		long eligible = 0;
		boolean capacity = false;
		for (int i = 0; i < deployments.length; i++) {
			Deployment deployment = deployments[i];
			if (deployment.circuit().isCooling(now)) {
				continue;
			}
			if (deployment.atCapacity(now)) {
				capacity = true;
				continue;
			}
			eligible |= 1L << i;
		}
		if (preferUntried && (eligible & ~this.tried) != 0) {
			eligible &= ~this.tried;
		}
		while (eligible != 0) {
			int chosen = this.router.choose(deployments, eligible, now);
			eligible &= ~(1L << chosen);
			Deployment deployment = deployments[chosen];
			ModelCircuit.Admission admission = deployment.circuit().tryAcquire(now);
			if (admission == ModelCircuit.Admission.COOLING) {
				continue; // another request took its half-open trial meanwhile
			}
			if (!deployment.takeCapacity(now)) {
				if (admission == ModelCircuit.Admission.TRIAL) {
					deployment.circuit().releaseTrial();
				}
				capacity = true;
				continue;
			}
			this.admission = admission;
			this.tried |= 1L << chosen;
			this.refusedForCapacity = false;
			return deployment;
		}
		this.admission = null;
		this.refusedForCapacity = capacity;
		return null;
	}

	/** Whether a deployment of the model this walk has not called could take a call now. */
	boolean hasUntried(ModelRuntime model, long now) {
		Deployment[] deployments = model.deployments();
		long tried = (this.model == model) ? this.tried : 0;
		for (int i = 0; i < deployments.length; i++) {
			if ((tried & (1L << i)) == 0 && !deployments[i].circuit().isCooling(now)
					&& !deployments[i].atCapacity(now)) {
				return true;
			}
		}
		return false;
	}

	/** @return how the deployment last picked is called */
	ModelCircuit.@Nullable Admission admission() {
		return this.admission;
	}

	/** @return whether the last pick found nothing because of a limit rather than cooldowns alone */
	boolean refusedForCapacity() {
		return this.refusedForCapacity;
	}

}
