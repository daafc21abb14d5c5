package dev.llmfallback.observation;

import io.micrometer.common.docs.KeyName;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;
import io.micrometer.observation.docs.ObservationDocumentation;

/**
 * Documents the observation the engine makes of each request, chat or stream, from its start to
 * its end, all attempts and hops included.
 */
public enum FallbackObservationDocumentation implements ObservationDocumentation {

	/**
	 * One request's walk along its policy's chain. Not named {@code llm.fallback.requests}: the
	 * timer Micrometer derives from an observation takes its name, and that name belongs to the
	 * starter's own request timer with its own tags.
	 */
	REQUEST {

		@Override
		public Class<? extends ObservationConvention<? extends Observation.Context>> getDefaultConvention() {
			return DefaultFallbackObservationConvention.class;
		}

		@Override
		public KeyName[] getLowCardinalityKeyNames() {
			return LowCardinalityKeyNames.values();
		}

		@Override
		public KeyName[] getHighCardinalityKeyNames() {
			return HighCardinalityKeyNames.values();
		}

	};

	/** Key values with a bounded set of values: fit for meters as well as traces. */
	public enum LowCardinalityKeyNames implements KeyName {

		/** The policy walked. */
		POLICY {
			@Override
			public String asString() {
				return "policy";
			}
		},

		/** {@code success}, or the error category that ended the request. */
		OUTCOME {
			@Override
			public String asString() {
				return "outcome";
			}
		},

		/** The configured model that answered, or {@code none}. */
		SERVED_BY {
			@Override
			public String asString() {
				return "served.by";
			}
		},

		/** The hops the walk made: {@code 0}, {@code 1}, {@code 2} or {@code 3+}. */
		FALLBACKS {
			@Override
			public String asString() {
				return "fallbacks";
			}
		},

		/** Whether the request was a stream: {@code true} or {@code false}. */
		STREAM {
			@Override
			public String asString() {
				return "stream";
			}
		}

	}

	/** Key values for traces only. */
	public enum HighCardinalityKeyNames implements KeyName {

		/** The walk, e.g. {@code gpt-4o rate_limit [429], claude success}. */
		ATTEMPTS {
			@Override
			public String asString() {
				return "attempts";
			}
		}

	}

}
