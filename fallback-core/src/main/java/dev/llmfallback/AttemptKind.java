package dev.llmfallback;

import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonValue;

/** Where an {@link Attempt} stands in a request's walk along its chain. */
public enum AttemptKind {

	/** The first model the request reached. */
	PRIMARY,

	/** A further call to the same model after it failed. */
	RETRY,

	/** The first call to a model after a hop. */
	FALLBACK,

	/** A call started while an earlier one had not answered yet; the first answer wins. */
	HEDGE;

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
