package dev.llmfallback.policy;

import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonValue;
import org.jspecify.annotations.Nullable;

/**
 * What a model is for: a policy's chain holds models of one type only, because a chat answer and
 * a vector cannot stand in for each other.
 */
public enum ModelType {

	/** Answers chat requests ({@code ChatService}); the default. */
	CHAT,

	/** Turns texts into vectors ({@code EmbeddingService}). */
	EMBEDDING;

	private final String id = name().toLowerCase(Locale.ROOT);

	/** @return the id used in configuration: {@code chat} or {@code embedding} */
	@JsonValue
	public String id() {
		return this.id;
	}

	/**
	 * Parses a configured type.
	 * @param value {@code chat} or {@code embedding}, in any case
	 * @return the type
	 * @throws IllegalArgumentException for any other value
	 */
	public static ModelType fromId(@Nullable String value) {
		if (value != null) {
			for (ModelType type : values()) {
				if (type.id.equalsIgnoreCase(value.trim())) {
					return type;
				}
			}
		}
		throw new IllegalArgumentException("Unknown model type '" + value + "'; expected chat or embedding");
	}

	@Override
	public String toString() {
		return this.id;
	}

}
