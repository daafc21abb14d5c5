package dev.llmfallback.policy;

import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonValue;
import org.jspecify.annotations.Nullable;

/**
 * What a model can serve beyond plain text chat. A request that needs a capability a model lacks
 * skips that model (skip reason {@code unsupported}) instead of reaching a provider that would
 * refuse it or, worse, silently ignore part of it.
 *
 * <p>Written in lower case with dashes in properties and JSON ({@link #id()}), e.g.
 * {@code models.<name>.capabilities: [tools, vision]}.
 */
public enum Capability {

	/** Tool (function) definitions and tool calls. */
	TOOLS,

	/** Image content parts. */
	VISION,

	/** Structured output constrained by a JSON Schema. */
	JSON_SCHEMA,

	/** Streamed answers. */
	STREAMING;

	private final String id = name().toLowerCase(Locale.ROOT).replace('_', '-');

	/** @return the id used in properties and JSON, e.g. {@code json-schema} */
	@JsonValue
	public String id() {
		return this.id;
	}

	/**
	 * Parses a capability from its id, accepting upper case and underscores as well.
	 * @param value the text to parse
	 * @return the capability
	 * @throws IllegalArgumentException if no capability has that name; the message lists the valid ones
	 */
	public static Capability fromId(@Nullable String value) {
		if (value != null) {
			String normalized = value.trim().replace('-', '_').toUpperCase(Locale.ROOT);
			for (Capability capability : values()) {
				if (capability.name().equals(normalized)) {
					return capability;
				}
			}
		}
		StringBuilder ids = new StringBuilder();
		for (Capability capability : values()) {
			ids.append((ids.length() > 0) ? ", " : "").append(capability.id);
		}
		throw new IllegalArgumentException("Unknown capability '" + value + "'; expected one of " + ids);
	}

	@Override
	public String toString() {
		return this.id;
	}

}
