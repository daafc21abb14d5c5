package dev.llmfallback.autoconfigure.springai;

import java.lang.reflect.Method;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.core.env.Environment;
import org.springframework.util.ClassUtils;

/**
 * Warns at start-up when a wrapped Spring AI model would retry under the engine's own retries,
 * multiplying calls. The starter does not change Spring AI's properties (they also govern models
 * the application uses directly); it names the one to set:
 * <ul>
 * <li>the vendor SDKs' retries, read from the model's options ({@code getMaxRetries()}, default 3):
 * {@code spring.ai.openai.max-retries} / {@code spring.ai.anthropic.max-retries} = 0;</li>
 * <li>Spring AI's {@code RetryTemplate} for RestClient-based modules (Mistral, Ollama, DeepSeek,
 * Google GenAI...): {@code spring.ai.retry.max-attempts} = 0 (default 10).</li>
 * </ul>
 */
final class SpringAiRetries {

	private static final Log logger = LogFactory.getLog(SpringAiRetries.class);

	private SpringAiRetries() {
	}

	static void warnIfOn(String provider, ChatModel model, Environment environment) {
		String warning = warning(provider, model, environment);
		if (warning != null) {
			logger.warn(warning);
		}
	}

	static @Nullable String warning(String provider, ChatModel model, Environment environment) {
		Object options = model.getOptions();
		Integer sdkRetries = (options != null) ? maxRetries(options) : null;
		if (sdkRetries != null && sdkRetries > 0) {
			String vendor = vendor(model);
			String property = (vendor != null) ? "spring.ai." + vendor + ".max-retries"
					: "the max-retries option of " + model.getClass().getSimpleName();
			return "Provider '" + provider + "' wraps " + model.getClass().getSimpleName() + ", which retries "
					+ sdkRetries + " time(s) itself under the fallback chain's retries: set " + property + "=0";
		}
		if (sdkRetries == null && ClassUtils.isPresent("org.springframework.ai.retry.RetryUtils", model.getClass().getClassLoader())) {
			int attempts = environment.getProperty("spring.ai.retry.max-attempts", Integer.class, 10);
			if (attempts > 0) {
				return "Provider '" + provider + "' wraps " + model.getClass().getSimpleName()
						+ ", whose Spring AI RetryTemplate may retry " + attempts
						+ " time(s) under the fallback chain's retries: set spring.ai.retry.max-attempts=0";
			}
		}
		return null;
	}

	private static @Nullable String vendor(ChatModel model) {
		String name = model.getClass().getName();
		if (name.startsWith("org.springframework.ai.openai.")) {
			return "openai";
		}
		if (name.startsWith("org.springframework.ai.anthropic.")) {
			return "anthropic";
		}
		return null;
	}

	private static @Nullable Integer maxRetries(Object options) {
		try {
			Method method = options.getClass().getMethod("getMaxRetries");
			return (method.invoke(options) instanceof Integer retries) ? retries : null;
		}
		catch (ReflectiveOperationException | RuntimeException ex) {
			return null;
		}
	}

}
