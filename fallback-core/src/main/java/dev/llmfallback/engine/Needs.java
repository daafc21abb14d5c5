package dev.llmfallback.engine;

import java.util.Set;

import dev.llmfallback.policy.Capability;

/**
 * What a request needs of a model beyond plain text chat, as bits of {@link Capability} ordinals,
 * so that the walk's admission check is one mask per model and allocates nothing. The operations
 * compute them once per request where the request is read ({@link ChatNeeds} for chat).
 *
 * <p>One bit is a fact about the request rather than a capability, read by the cursor and never
 * asked of a model: {@link #PARAMS}, set when the request carries something beyond plain text that
 * a provider may have no equivalent for, so that each model's provider is asked what it cannot
 * carry. A plain text request leaves it clear, and the cursor then asks no provider anything.
 */
final class Needs {

	static final int NONE = 0;

	static final int TOOLS = bit(Capability.TOOLS);

	static final int VISION = bit(Capability.VISION);

	static final int JSON_SCHEMA = bit(Capability.JSON_SCHEMA);

	static final int STREAMING = bit(Capability.STREAMING);

	/** The request may hold parameters a provider cannot carry: ask each model's provider. */
	static final int PARAMS = 1 << 30;

	/** The bits that are capabilities a model must have. */
	static final int CAPABILITIES = (1 << Capability.values().length) - 1;

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
