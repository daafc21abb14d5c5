package dev.llmfallback;

import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonValue;

/** Why the walk passed a model without calling it. */
public enum SkipReason {

	/** The model is cooling down after failures. */
	COOLDOWN,

	/** The prompt's estimated tokens exceed the model's {@code max-input-tokens}. */
	CONTEXT_WINDOW,

	/** The model lacks a capability the request needs (tools, vision, a JSON schema, streaming). */
	UNSUPPORTED,

	/** Every deployment of the model that is not cooling down is at its {@code rpm} or {@code tpm} limit. */
	CAPACITY;

	private final String id = name().toLowerCase(Locale.ROOT);

	@JsonValue
	public String id() {
		return this.id;
	}

	@Override
	public String toString() {
		return this.id;
	}

}
