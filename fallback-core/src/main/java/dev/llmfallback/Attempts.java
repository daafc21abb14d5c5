package dev.llmfallback;

import java.util.List;

/** Helpers over a walk's list of {@link Attempt attempts}. */
final class Attempts {

	private Attempts() {
	}

	/** Each model is visited once per walk, so the hops are the changes of model along the list. */
	static int hops(List<Attempt> attempts) {
		int hops = 0;
		for (int i = 1; i < attempts.size(); i++) {
			if (!attempts.get(i).model().equals(attempts.get(i - 1).model())) {
				hops++;
			}
		}
		return hops;
	}

	static String describe(List<Attempt> attempts) {
		if (attempts.isEmpty()) {
			return "no model was tried";
		}
		StringBuilder text = new StringBuilder();
		for (Attempt attempt : attempts) {
			if (text.length() > 0) {
				text.append(", ");
			}
			text.append(attempt.model()).append(' ');
			if (attempt.skipped()) {
				text.append("skipped (").append(attempt.skipReason().id()).append(')');
			}
			else {
				text.append(attempt.outcome());
				if (attempt.httpStatus() != null) {
					text.append(" [").append(attempt.httpStatus()).append(']');
				}
			}
		}
		return text.toString();
	}

}
