package dev.llmfallback;

import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * The closed set of reasons an attempt can fail. Every failure is classified into exactly one
 * category; the category decides, by default, whether the same model is retried, whether the walk
 * hops to another model, and whether the model starts cooling down. Policies override the first two
 * with {@code retry-on} and {@code fallback-on}.
 *
 * <p>In JSON, tags and properties a category is written in lower case ({@link #id()}).
 */
public enum ErrorCategory {

	/** The prompt does not fit the model's context window. Hops to a larger model. */
	CONTEXT_WINDOW_EXCEEDED(false, true, CooldownEffect.NONE),

	/** The provider refused the content. Hops only to the policy's content-policy fallbacks. */
	CONTENT_POLICY(false, true, CooldownEffect.NONE),

	/** Too many requests for now; a retry later can succeed. */
	RATE_LIMIT(true, true, CooldownEffect.COUNTS),

	/** Quota or budget exhausted; no retry will fix it before the quota resets. */
	QUOTA_EXCEEDED(false, true, CooldownEffect.IMMEDIATE),

	/** The API key was missing or refused. */
	AUTHENTICATION(false, true, CooldownEffect.IMMEDIATE),

	/** The key is valid but may not use this model or resource. */
	PERMISSION_DENIED(false, true, CooldownEffect.IMMEDIATE),

	/** The model or deployment does not exist at this provider. */
	NOT_FOUND(false, true, CooldownEffect.IMMEDIATE),

	/** The request itself is invalid; no other model can do better. */
	BAD_REQUEST(false, false, CooldownEffect.NONE),

	/** The attempt took longer than its timeout (or the request's deadline). */
	TIMEOUT(true, true, CooldownEffect.COUNTS),

	/** The provider could not be reached: refused, reset, unknown host. */
	CONNECTION(false, true, CooldownEffect.IMMEDIATE),

	/** The provider failed internally (a 500 class error). */
	SERVER_ERROR(true, true, CooldownEffect.COUNTS),

	/** The provider is overloaded or down for now (503, 529). */
	SERVICE_UNAVAILABLE(true, true, CooldownEffect.COUNTS),

	/** The provider answered with something that is not a usable answer. */
	INVALID_RESPONSE(true, true, CooldownEffect.COUNTS),

	/** The caller cancelled; nothing more is tried. */
	CANCELLED(false, false, CooldownEffect.NONE),

	/**
	 * The model cannot serve this kind of request (tools, images, a schema, streaming, a parameter).
	 * Hops to the later models of the chain; the model stays available for other requests.
	 */
	UNSUPPORTED(false, true, CooldownEffect.NONE);

	private final String id;

	private final boolean retriedByDefault;

	private final boolean fallsBackByDefault;

	private final CooldownEffect cooldownEffect;

	ErrorCategory(boolean retriedByDefault, boolean fallsBackByDefault, CooldownEffect cooldownEffect) {
		this.id = name().toLowerCase(Locale.ROOT);
		this.retriedByDefault = retriedByDefault;
		this.fallsBackByDefault = fallsBackByDefault;
		this.cooldownEffect = cooldownEffect;
	}

	/**
	 * The lower-case name used in JSON, meter tags and properties, e.g. {@code rate_limit}.
	 * @return the category's id
	 */
	@JsonValue
	public String id() {
		return this.id;
	}

	/**
	 * Whether the same model is retried after this failure unless a policy says otherwise.
	 * @return the default retry decision
	 */
	public boolean retriedByDefault() {
		return this.retriedByDefault;
	}

	/**
	 * Whether the walk hops to another model after this failure unless a policy says otherwise.
	 * @return the default fallback decision
	 */
	public boolean fallsBackByDefault() {
		return this.fallsBackByDefault;
	}

	/**
	 * How a failure of this category affects the model's cooldown.
	 * @return the cooldown effect
	 */
	public CooldownEffect cooldownEffect() {
		return this.cooldownEffect;
	}

	/**
	 * Parses a category from its id, accepting upper case and dashes as well
	 * ({@code rate_limit}, {@code RATE_LIMIT}, {@code rate-limit}).
	 * @param value the text to parse
	 * @return the category
	 * @throws IllegalArgumentException if no category has that name; the message lists the valid ones
	 */
	@JsonCreator
	public static ErrorCategory fromId(String value) {
		if (value != null) {
			String normalized = value.trim().replace('-', '_').toUpperCase(Locale.ROOT);
			for (ErrorCategory category : values()) {
				if (category.name().equals(normalized)) {
					return category;
				}
			}
		}
		throw new IllegalArgumentException("Unknown error category '" + value + "'; expected one of " + ids());
	}

	/**
	 * The ids of all categories, in declaration order, joined with ", ".
	 * @return the list of valid ids
	 */
	public static String ids() {
		StringBuilder ids = new StringBuilder();
		for (ErrorCategory category : values()) {
			if (ids.length() > 0) {
				ids.append(", ");
			}
			ids.append(category.id);
		}
		return ids.toString();
	}

	@Override
	public String toString() {
		return this.id;
	}

	/** How a failure counts toward a model's cooldown. */
	public enum CooldownEffect {

		/** Never starts a cooldown. */
		NONE,

		/** Counts toward the failure threshold within the window. */
		COUNTS,

		/** Starts a cooldown at once. */
		IMMEDIATE

	}

}
