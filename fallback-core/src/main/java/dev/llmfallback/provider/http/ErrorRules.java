package dev.llmfallback.provider.http;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import dev.llmfallback.ErrorCategory;

/**
 * One wire format's own classification rules: the codes, wordings and HTTP statuses only that
 * format's servers use. The {@link ErrorClassifier} tries them before the built-in rules every
 * format shares, inside the same ordered steps (status, code, message, user rules, window
 * adjustment, {@code Retry-After}). Immutable; each format declares one constant in its
 * {@code XxxErrors} class.
 *
 * <p>Public because the adapters, in their own packages, declare theirs.
 */
public final class ErrorRules {

	/** No rules of a format's own: the built-in ones alone. */
	public static final ErrorRules NONE = builder().build();

	final Map<String, ErrorCategory> codes;

	final Set<String> weakCodes;

	final Map<ErrorCategory, Pattern> messages;

	final Map<Integer, ErrorCategory> statuses;

	private ErrorRules(Builder builder) {
		this.codes = Map.copyOf(builder.codes);
		this.weakCodes = Set.copyOf(builder.weakCodes);
		Map<ErrorCategory, Pattern> messages = new LinkedHashMap<>();
		builder.messages.forEach((category, patterns) -> messages.put(category,
				Pattern.compile(String.join("|", patterns), Pattern.CASE_INSENSITIVE)));
		this.messages = messages;
		this.statuses = Map.copyOf(builder.statuses);
	}

	/** @return a builder of a format's rules */
	public static Builder builder() {
		return new Builder();
	}

	/**
	 * The code or type as the classifier compares it: lower case, letters and digits only.
	 * @param code the provider's code
	 * @return the normalised code
	 */
	static String normalize(String code) {
		return code.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
	}

	/** Collects a format's rules. */
	public static final class Builder {

		private final Map<String, ErrorCategory> codes = new HashMap<>();

		private final Set<String> weakCodes = new HashSet<>();

		private final Map<ErrorCategory, List<String>> messages = new EnumMap<>(ErrorCategory.class);

		private final Map<Integer, ErrorCategory> statuses = new HashMap<>();

		private Builder() {
		}

		/**
		 * Codes or types that name a category (basis {@code CODE}).
		 * @param category the category
		 * @param codes the codes, as the provider spells them
		 * @return this builder
		 */
		public Builder codes(ErrorCategory category, String... codes) {
			for (String code : codes) {
				this.codes.put(normalize(code), category);
			}
			return this;
		}

		/**
		 * Codes that only restate the HTTP status (Google's canonical codes): a message rule may
		 * refine them.
		 * @param category the category
		 * @param codes the codes
		 * @return this builder
		 */
		public Builder weakCodes(ErrorCategory category, String... codes) {
			codes(category, codes);
			for (String code : codes) {
				this.weakCodes.add(normalize(code));
			}
			return this;
		}

		/**
		 * Message patterns (case-insensitive regular expressions) that name a category (basis
		 * {@code MESSAGE}), tried before the built-in ones.
		 * @param category the category
		 * @param patterns the patterns
		 * @return this builder
		 */
		public Builder messages(ErrorCategory category, String... patterns) {
			this.messages.computeIfAbsent(category, (key) -> new ArrayList<>()).addAll(List.of(patterns));
			return this;
		}

		/**
		 * A non-standard HTTP status of the format and what it means.
		 * @param status the status
		 * @param category the category
		 * @return this builder
		 */
		public Builder status(int status, ErrorCategory category) {
			this.statuses.put(status, category);
			return this;
		}

		/** @return the rules */
		public ErrorRules build() {
			return new ErrorRules(this);
		}

	}

}
