package dev.llmfallback.autoconfigure.endpoint;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.SanitizableData;
import org.springframework.boot.actuate.endpoint.SanitizingFunction;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.util.function.SingletonSupplier;

/**
 * Keeps provider credentials out of the {@code env} and {@code configprops} endpoints even where
 * an application shows their values ({@code management.endpoint.env.show-values=always}): Boot
 * masks every value by default, but once values are shown it masks only what a
 * {@link SanitizingFunction} tells it to. This one masks
 * {@code llm.fallback.providers.<name>.api-key} and {@code .headers.*} under any spelling (the
 * environment variable {@code LLM_FALLBACK_PROVIDERS_OPENAI_APIKEY} too), and any other property
 * whose value holds a configured key, such as the {@code OPENAI_API_KEY} that
 * {@code api-key: ${OPENAI_API_KEY}} reads.
 */
@AutoConfiguration
@ConditionalOnClass(SanitizingFunction.class)
public final class LlmFallbackSanitizingAutoConfiguration {

	/** Keys are compared lower case, with '-' and '_' removed and '[' ']' read as '.'. */
	private static final Pattern SECRET_KEY = Pattern
		.compile("llm\\.fallback\\.providers\\..+\\.(apikey|headers(\\..*)?)");

	/** Values shorter than this are masked only where equal to a key, never where merely contained. */
	private static final int MIN_CONTAINED = 8;

	@Bean
	SanitizingFunction llmFallbackSanitizingFunction(Environment environment) {
		return new ProviderSecrets(SingletonSupplier.of(() -> secrets(environment)));
	}

	private static Set<String> secrets(Environment environment) {
		Set<String> secrets = new LinkedHashSet<>();
		try {
			Map<String, Credentials> providers = Binder.get(environment)
				.bind("llm.fallback.providers", Bindable.mapOf(String.class, Credentials.class))
				.orElse(Map.of());
			providers.values().forEach((provider) -> {
				add(secrets, provider.getApiKey());
				provider.getHeaders().values().forEach((value) -> add(secrets, value));
			});
		}
		catch (RuntimeException ex) {
			// An invalid configuration fails start-up elsewhere; the keys still match by name.
		}
		return secrets;
	}

	private static void add(Set<String> secrets, @Nullable String value) {
		if (value != null && !value.isBlank()) {
			secrets.add(value.trim());
		}
	}

	/** The credentials of one provider, bound on their own (the rest is validated elsewhere). */
	static final class Credentials {

		private @Nullable String apiKey;

		private Map<String, String> headers = new LinkedHashMap<>();

		public @Nullable String getApiKey() {
			return this.apiKey;
		}

		public void setApiKey(@Nullable String apiKey) {
			this.apiKey = apiKey;
		}

		public Map<String, String> getHeaders() {
			return this.headers;
		}

		public void setHeaders(Map<String, String> headers) {
			this.headers = headers;
		}

	}

	private record ProviderSecrets(Supplier<Set<String>> secrets) implements SanitizingFunction {

		@Override
		public SanitizableData apply(SanitizableData data) {
			return (isSecretKey(data.getKey()) || holdsSecret(data.getValue())) ? data.withSanitizedValue() : data;
		}

		static boolean isSecretKey(String key) {
			if (key == null) {
				return false;
			}
			String normalized = key.toLowerCase(Locale.ROOT)
				.replace("-", "")
				.replace('[', '.')
				.replace("]", "")
				.replace('_', '.');
			return SECRET_KEY.matcher(normalized).matches();
		}

		private boolean holdsSecret(@Nullable Object value) {
			if (value == null) {
				return false;
			}
			String text = value.toString();
			for (String secret : this.secrets.get()) {
				if (text.equals(secret) || (secret.length() >= MIN_CONTAINED && text.contains(secret))) {
					return true;
				}
			}
			return false;
		}

	}

}
