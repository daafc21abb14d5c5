package dev.llmfallback.engine;

import java.util.Set;

import dev.llmfallback.policy.Capability;

/**
 * What a request needs of a model beyond plain text chat, as bits of {@link Capability} ordinals,
 * so that the walk's admission check is one mask per model and allocates nothing. The rich-chat
 * operations add their needs (tools, vision, a JSON schema) where the request is read.
 */
final class Needs {

	static final int NONE = 0;

	static final int STREAMING = bit(Capability.STREAMING);

	private Needs() {
	}

	static int bit(Capability capability) {
		return 1 << capability.ordinal();
	}

	static int bits(Set<Capability> capabilities) {
		int bits = 0;
		for (Capability capability : capabilities) {
			bits |= bit(capability);
		}
		return bits;
	}

	/** @return the ids of the capabilities in {@code bits}, e.g. {@code streaming, tools} */
	static String describe(int bits) {
		StringBuilder text = new StringBuilder();
		for (Capability capability : Capability.values()) {
			if ((bits & bit(capability)) != 0) {
				text.append((text.length() > 0) ? ", " : "").append(capability.id());
			}
		}
		return text.toString();
	}

}
