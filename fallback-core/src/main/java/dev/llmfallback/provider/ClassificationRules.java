package dev.llmfallback.provider;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import dev.llmfallback.ErrorCategory;
import org.jspecify.annotations.Nullable;

/**
 * User-supplied message patterns per {@link ErrorCategory} ({@code classification.<category>:
 * [regex]}), for providers whose wording the built-in rules miss. They are tried, case-insensitively
 * and in category declaration order, only when no built-in code, type or message rule matched.
 * Immutable.
 */
public final class ClassificationRules {

	private static final ClassificationRules NONE = new ClassificationRules(Map.of());

	private final Map<ErrorCategory, List<Pattern>> patterns;

	private ClassificationRules(Map<ErrorCategory, List<Pattern>> patterns) {
		this.patterns = patterns;
	}

	/** @return rules that match nothing */
	public static ClassificationRules none() {
		return NONE;
	}

	/**
	 * Compiles rules from regular expressions per category.
	 * @param patterns the expressions per category (may be {@code null} or empty)
	 * @return the rules
	 * @throws IllegalArgumentException if an expression does not compile; the message names the
	 * category and the expression
	 */
	public static ClassificationRules of(Map<ErrorCategory, ? extends List<String>> patterns) {
		if (patterns == null || patterns.isEmpty()) {
			return NONE;
		}
		Map<ErrorCategory, List<Pattern>> compiled = new EnumMap<>(ErrorCategory.class);
		patterns.forEach((category, expressions) -> {
			List<Pattern> list = new ArrayList<>();
			if (expressions != null) {
				for (String expression : expressions) {
					list.add(compile(category, expression));
				}
			}
			if (!list.isEmpty()) {
				compiled.put(category, List.copyOf(list));
			}
		});
		return new ClassificationRules(Collections.unmodifiableMap(compiled));
	}

	/**
	 * Compiles rules keyed by category id as written in properties ({@code rate_limit},
	 * {@code rate-limit}, ...).
	 * @param patterns the expressions per category id
	 * @return the rules
	 * @throws IllegalArgumentException for an unknown category or an expression that does not compile
	 */
	public static ClassificationRules fromIds(Map<String, ? extends List<String>> patterns) {
		if (patterns == null || patterns.isEmpty()) {
			return NONE;
		}
		Map<ErrorCategory, List<String>> byCategory = new EnumMap<>(ErrorCategory.class);
		patterns.forEach((id, expressions) -> byCategory.computeIfAbsent(ErrorCategory.fromId(id), (c) -> new ArrayList<>())
			.addAll((expressions != null) ? expressions : List.of()));
		return of(byCategory);
	}

	private static Pattern compile(ErrorCategory category, String expression) {
		if (expression == null || expression.isBlank()) {
			throw new IllegalArgumentException("classification." + category.id() + " contains an empty pattern");
		}
		try {
			return Pattern.compile(expression, Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
		}
		catch (PatternSyntaxException ex) {
			throw new IllegalArgumentException(
					"classification." + category.id() + " pattern '" + expression + "' is not a valid regex: "
							+ ex.getDescription(),
					ex);
		}
	}

	/**
	 * The first category whose patterns find a match in the message.
	 * @param message the provider's error message (may be {@code null})
	 * @return the category, or {@code null} if no pattern matched
	 */
	public @Nullable ErrorCategory match(@Nullable String message) {
		if (message == null || message.isEmpty()) {
			return null;
		}
		for (Map.Entry<ErrorCategory, List<Pattern>> entry : this.patterns.entrySet()) {
			for (Pattern pattern : entry.getValue()) {
				if (pattern.matcher(message).find()) {
					return entry.getKey();
				}
			}
		}
		return null;
	}

	/** @return whether there are no rules at all */
	public boolean isEmpty() {
		return this.patterns.isEmpty();
	}

	@Override
	public String toString() {
		return "ClassificationRules" + this.patterns;
	}

}
