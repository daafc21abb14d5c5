package dev.llmfallback.engine;

import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * What the models one walk reached fall short of in its request: per model skipped as
 * {@code unsupported}, the capabilities it lacks and the parameters its provider cannot carry (for
 * the failure message when no model can serve the request); per model called with parameters left
 * out (the policy sets {@code drop-unsupported-params}), their names, for the answer's
 * {@code droppedParams}. Made by a {@link ChainCursor} on the first shortfall: a plain text
 * request never needs one.
 */
final class ModelShortfalls {

	/** Per model skipped, what it lacks; {@code null} while none was. */
	private @Nullable StringBuilder unsupported;

	private @Nullable List<Dropped> dropped;

	/**
	 * A model was skipped as unsupported.
	 * @param model the model
	 * @param lacks the {@link Needs} bits it lacks, 0 for none
	 * @param params the parameters its provider cannot carry, empty for none
	 */
	void skipped(ModelRuntime model, int lacks, List<String> params) {
		StringBuilder text = (this.unsupported == null) ? new StringBuilder() : this.unsupported.append("; ");
		text.append(model.name());
		if (lacks != 0) {
			text.append(" lacks ").append(Needs.describe(lacks));
		}
		if (!params.isEmpty()) {
			text.append((lacks != 0) ? "," : "").append(" cannot carry ").append(String.join(", ", params));
		}
		this.unsupported = text;
	}

	/**
	 * A model will be called with these parameters left out.
	 * @param model the model
	 * @param params their names
	 */
	void dropping(ModelRuntime model, List<String> params) {
		if (this.dropped == null) {
			this.dropped = new ArrayList<>(2);
		}
		this.dropped.add(new Dropped(model, List.copyOf(params)));
	}

	/** @return per model skipped, what it lacks (e.g. "a lacks tools; b cannot carry logprobs"), or {@code null} */
	@Nullable String unsupported() {
		return (this.unsupported != null) ? this.unsupported.toString() : null;
	}

	/**
	 * @param model a model
	 * @return the parameters left out of its calls, empty for none
	 */
	List<String> droppedParams(ModelRuntime model) {
		if (this.dropped != null) {
			for (Dropped entry : this.dropped) {
				if (entry.model() == model) {
					return entry.names();
				}
			}
		}
		return List.of();
	}

	private record Dropped(ModelRuntime model, List<String> names) {
	}

}
