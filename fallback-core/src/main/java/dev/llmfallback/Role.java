package dev.llmfallback;

import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** The author of a {@link ChatMessage}. */
public enum Role {

	/** Instructions that frame the conversation. */
	SYSTEM,

	/** The end user. */
	USER,

	/** The model. */
	ASSISTANT,

	/** The result of a tool call, given back to the model. */
	TOOL;

	private final String id = name().toLowerCase(Locale.ROOT);

	/**
	 * The lower-case wire name, e.g. {@code user}.
	 * @return the role's id
	 */
	@JsonValue
	public String id() {
		return this.id;
	}

	/**
	 * Parses a role from its wire name, ignoring case.
	 * @param value the text to parse
	 * @return the role
	 * @throws IllegalArgumentException if the text names no role
	 */
	@JsonCreator
	public static Role fromId(String value) {
		if (value != null) {
			for (Role role : values()) {
				if (role.id.equalsIgnoreCase(value.trim())) {
					return role;
				}
			}
		}
		throw new IllegalArgumentException("Unknown role '" + value + "'; expected one of system, user, assistant, tool");
	}

	@Override
	public String toString() {
		return this.id;
	}

}
