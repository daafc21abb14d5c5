package dev.llmfallback.engine;

import java.util.random.RandomGenerator;

import dev.llmfallback.policy.Routing;

/**
 * A policy's {@link Routing}: which of a model's eligible deployments (healthy, under their limits)
 * an attempt goes to. One strategy per routing mode; each only orders, never filters, so cooldowns
 * and capacity are decided in one place ({@link DeploymentPicker}).
 */
sealed interface DeploymentRouter {

	/**
	 * @param deployments the model's deployments
	 * @param eligible a bit per deployment that may be chosen, never 0
	 * @param now the engine clock's time
	 * @return the index of the chosen deployment, one of the eligible bits
	 */
	int choose(Deployment[] deployments, long eligible, long now);

	static DeploymentRouter of(Routing routing, RandomGenerator random) {
		return switch (routing) {
			case WEIGHTED -> new Weighted(random);
			case LEAST_BUSY -> new LeastBusy(random);
			case LOWEST_LATENCY -> new LowestLatency(random);
			case USAGE -> new Usage(random);
		};
	}

	/** At random in proportion to the weights of the eligible deployments. */
	record Weighted(RandomGenerator random) implements DeploymentRouter {

		@Override
		public int choose(Deployment[] deployments, long eligible, long now) {
			return weightedPick(deployments, eligible, this.random);
		}

	}

	/** The fewest calls in flight; ties by weight. */
	record LeastBusy(RandomGenerator random) implements DeploymentRouter {

		@Override
		public int choose(Deployment[] deployments, long eligible, long now) {
			int least = Integer.MAX_VALUE;
			long ties = 0;
			for (int i = 0; i < deployments.length; i++) {
				if ((eligible & (1L << i)) != 0) {
					int busy = deployments[i].inFlight();
					if (busy < least) {
						least = busy;
						ties = 0;
					}
					if (busy == least) {
						ties |= 1L << i;
					}
				}
			}
			return weightedPick(deployments, ties, this.random);
		}

	}

	/**
	 * The lowest moving average of latency; a deployment never timed is tried first, so every one
	 * gets a figure.
	 */
	record LowestLatency(RandomGenerator random) implements DeploymentRouter {

		@Override
		public int choose(Deployment[] deployments, long eligible, long now) {
			long untimed = 0;
			int fastest = -1;
			long best = Long.MAX_VALUE;
			for (int i = 0; i < deployments.length; i++) {
				if ((eligible & (1L << i)) != 0) {
					LatencyFigures latency = deployments[i].latency();
					long average = (latency != null) ? latency.average() : -1;
					if (average < 0) {
						untimed |= 1L << i;
					}
					else if (average < best) {
						best = average;
						fastest = i;
					}
				}
			}
			return (untimed != 0 || fastest < 0) ? weightedPick(deployments, (untimed != 0) ? untimed : eligible,
					this.random) : fastest;
		}

	}

	/** The lowest share of its rpm/tpm limits used; a deployment without limits counts as idle. */
	record Usage(RandomGenerator random) implements DeploymentRouter {

		@Override
		public int choose(Deployment[] deployments, long eligible, long now) {
			double least = Double.MAX_VALUE;
			long ties = 0;
			for (int i = 0; i < deployments.length; i++) {
				if ((eligible & (1L << i)) != 0) {
					UsageWindow usage = deployments[i].usage();
					double load = (usage != null) ? usage.load(now) : 0;
					if (load < least) {
						least = load;
						ties = 0;
					}
					if (load == least) {
						ties |= 1L << i;
					}
				}
			}
			return weightedPick(deployments, ties, this.random);
		}

	}

	private static int weightedPick(Deployment[] deployments, long candidates, RandomGenerator random) {
		if (Long.bitCount(candidates) == 1) {
			return Long.numberOfTrailingZeros(candidates);
		}
		double total = 0;
		for (int i = 0; i < deployments.length; i++) {
			if ((candidates & (1L << i)) != 0) {
				total += deployments[i].weight();
			}
		}
		double point = random.nextDouble() * total;
		int last = -1;
		for (int i = 0; i < deployments.length; i++) {
			if ((candidates & (1L << i)) != 0) {
				point -= deployments[i].weight();
				last = i;
				if (point < 0) {
					return i;
				}
			}
		}
		return last;
	}

}
