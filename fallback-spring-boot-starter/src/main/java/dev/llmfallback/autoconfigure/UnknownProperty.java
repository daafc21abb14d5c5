package dev.llmfallback.autoconfigure;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName.Form;

import dev.llmfallback.policy.FallbackConfigurationException;
import dev.llmfallback.policy.Suggestions;

/**
 * Explains a name under {@code llm.fallback} that bound to nothing: which element of it is unknown
 * and the nearest valid name there, read from the shape of {@link LlmFallbackProperties} (record
 * components, map keys, list indexes). Names are compared as Spring Boot's relaxed binding compares
 * them (case, dashes and underscores ignored), so only a real misspelling gets here. A map key with
 * a dot ({@code models.gpt-4.1.provider}) is recognised, and the bracket form suggested.
 */
final class UnknownProperty {

	static final String PREFIX = "llm.fallback";

	private static final int ROOT_ELEMENTS = 2;

	private UnknownProperty() {
	}

	/**
	 * @param name a name under {@code llm.fallback} that bound to nothing
	 * @return the problem, naming the property (relative to {@code llm.fallback}) and the nearest
	 * valid name
	 */
	static FallbackConfigurationException explain(ConfigurationPropertyName name) {
		String property = name.toString().substring(PREFIX.length() + 1);
		Miss miss = walk(name, ROOT_ELEMENTS, LlmFallbackProperties.class);
		if (miss == null) {
			return new FallbackConfigurationException(property, "binds to nothing",
					"Check its spelling and place against the reference documentation");
		}
		if (miss.suggestion != null) {
			return new FallbackConfigurationException(property, miss.problem,
					"Did you mean '" + miss.suggestion + "'?" + miss.advice);
		}
		return new FallbackConfigurationException(property, miss.problem, miss.advice.trim());
	}

	/** Where a name leaves the shape of the properties, or {@code null} if it does not. */
	private static @Nullable Miss walk(ConfigurationPropertyName name, int index, Type type) {
		Class<?> raw = raw(type);
		if (index >= name.getNumberOfElements()) {
			return null;
		}
		if (raw.isRecord()) {
			return component(name, index, raw);
		}
		if (Map.class.isAssignableFrom(raw)) {
			return mapEntry(name, index, argument(type, 1));
		}
		if (Collection.class.isAssignableFrom(raw)) {
			if (!name.isNumericIndex(index)) {
				return new Miss(index, "is not a known property: " + show(name, index) + " is a list", null,
						" Write its items as " + show(name, index) + "[0], [1], ... or as a YAML list");
			}
			return walk(name, index + 1, argument(type, 0));
		}
		return new Miss(index, "is not a known property: " + show(name, index) + " is a single value", null,
				" Set " + show(name, index) + " itself");
	}

	private static @Nullable Miss component(ConfigurationPropertyName name, int index, Class<?> record) {
		String element = name.getElement(index, Form.ORIGINAL);
		List<String> names = new ArrayList<>();
		for (RecordComponent component : record.getRecordComponents()) {
			String dashed = dashed(component.getName());
			if (Suggestions.uniform(dashed).equals(Suggestions.uniform(element))) {
				return walk(name, index + 1, component.getGenericType());
			}
			names.add(dashed);
		}
		String parent = show(name, index);
		Optional<String> nearest = Suggestions.nearest(element, names);
		String problem = "is not a known property";
		String valid = " Valid names under " + parent + ": " + String.join(", ", names);
		return nearest
			.map((candidate) -> new Miss(index, problem, parent + "." + candidate + rest(name, index + 1), valid))
			.orElseGet(() -> new Miss(index, problem, null, valid));
	}

	private static @Nullable Miss mapEntry(ConfigurationPropertyName name, int index, Type values) {
		Miss miss = walk(name, index + 1, values);
		if (miss == null || miss.index != index + 1 || miss.suggestion != null || !raw(values).isRecord()) {
			return miss;
		}
		// A key with a dot reads as a key and more elements: models.gpt-4.1.provider.
		for (int end = index + 2; end < name.getNumberOfElements(); end++) {
			if (walk(name, end, values) == null) {
				StringBuilder key = new StringBuilder();
				for (int i = index; i < end; i++) {
					key.append((i > index) ? "." : "").append(name.getElement(i, Form.ORIGINAL));
				}
				return new Miss(index, "has a key with a dot ('" + key + "'), which Spring Boot reads as a key and "
						+ "more names", show(name, index) + ".[" + key + "]" + rest(name, end),
						" In YAML, quote the bracketed key: \"[" + key + "]\":");
			}
		}
		return miss;
	}

	private static String show(ConfigurationPropertyName name, int elements) {
		return name.chop(elements).toString();
	}

	private static String rest(ConfigurationPropertyName name, int from) {
		StringBuilder rest = new StringBuilder();
		for (int i = from; i < name.getNumberOfElements(); i++) {
			rest.append(name.isNumericIndex(i) ? "[" + name.getElement(i, Form.ORIGINAL) + "]"
					: "." + name.getElement(i, Form.ORIGINAL));
		}
		return rest.toString();
	}

	/** A record component's name as written in properties: {@code maxInputTokens} is {@code max-input-tokens}. */
	static String dashed(String name) {
		StringBuilder dashed = new StringBuilder(name.length() + 4);
		for (char c : name.toCharArray()) {
			if (Character.isUpperCase(c)) {
				dashed.append('-').append(Character.toLowerCase(c));
			}
			else {
				dashed.append(c);
			}
		}
		return dashed.toString();
	}

	private static Class<?> raw(Type type) {
		if (type instanceof Class<?> c) {
			return c;
		}
		if (type instanceof ParameterizedType p) {
			return (Class<?>) p.getRawType();
		}
		return Object.class;
	}

	private static Type argument(Type type, int index) {
		return (type instanceof ParameterizedType p) ? p.getActualTypeArguments()[index] : Object.class;
	}

	/**
	 * Where a name left the known shape.
	 * @param index the element that is unknown
	 * @param problem what is wrong
	 * @param suggestion the nearest valid full name, if one is near
	 * @param advice more help, starting with a space, or empty
	 */
	private record Miss(int index, String problem, @Nullable String suggestion, String advice) {

	}

}
