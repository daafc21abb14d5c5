package dev.llmfallback.web;

import java.time.Duration;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.llmfallback.ErrorCategory;
import dev.llmfallback.provider.ChatProvider;
import dev.llmfallback.testing.ScriptedProvider;
import dev.llmfallback.testing.Step;

/**
 * One single-model policy per way a chain ends, each named after what its provider always answers:
 * the rows of issue 19's table (a content filter, a context length, a refused key, an exhausted
 * quota, a rate limit with {@code Retry-After: 4}, an overload that cools the model) and a deadline.
 */
@Configuration(proxyBeanMethods = false)
public class FailingChains {

	/** Policy name, category its provider fails with, the status the mapping must give. */
	public record Row(String policy, ErrorCategory category, int status, boolean shouldRetry) {
	}

	public static final Row[] ROWS = { new Row("filtered", ErrorCategory.CONTENT_POLICY, 400, false),
			new Row("too-long", ErrorCategory.CONTEXT_WINDOW_EXCEEDED, 400, false),
			new Row("bad-key", ErrorCategory.AUTHENTICATION, 502, false),
			new Row("no-quota", ErrorCategory.QUOTA_EXCEEDED, 429, false),
			new Row("limited", ErrorCategory.RATE_LIMIT, 429, true),
			new Row("overloaded", ErrorCategory.SERVICE_UNAVAILABLE, 503, true),
			new Row("slow", ErrorCategory.TIMEOUT, 504, true) };

	public static final String[] PROPERTIES = properties();

	private static String[] properties() {
		java.util.List<String> properties = new java.util.ArrayList<>();
		for (Row row : ROWS) {
			properties.add("llm.fallback.models." + row.policy() + "-model.provider=" + row.policy());
			properties.add("llm.fallback.policies." + row.policy() + ".models=" + row.policy() + "-model");
			properties.add("llm.fallback.policies." + row.policy() + ".retry.max-retries=0");
		}
		properties.add("llm.fallback.default-policy=filtered");
		properties.add("llm.fallback.policies.overloaded.cooldown.failures=1");
		properties.add("llm.fallback.policies.overloaded.cooldown.duration=20s");
		properties.add("llm.fallback.policies.slow.deadline=300ms");
		properties.add("llm.fallback.policies.slow.timeout=5s");
		return properties.toArray(String[]::new);
	}

	private static ChatProvider failing(String name, ErrorCategory category) {
		return ScriptedProvider.builder(name).otherwise(Step.fail(category)).build();
	}

	@Bean
	ChatProvider filtered() {
		return failing("filtered", ErrorCategory.CONTENT_POLICY);
	}

	@Bean
	ChatProvider tooLong() {
		return failing("too-long", ErrorCategory.CONTEXT_WINDOW_EXCEEDED);
	}

	@Bean
	ChatProvider badKey() {
		return failing("bad-key", ErrorCategory.AUTHENTICATION);
	}

	@Bean
	ChatProvider noQuota() {
		return failing("no-quota", ErrorCategory.QUOTA_EXCEEDED);
	}

	@Bean
	ChatProvider limited() {
		return ScriptedProvider.builder("limited")
			.otherwise(Step.fail(ErrorCategory.RATE_LIMIT).status(429).retryAfter(Duration.ofSeconds(4)))
			.build();
	}

	@Bean
	ChatProvider overloaded() {
		return ScriptedProvider.builder("overloaded").otherwise(Step.fail(ErrorCategory.SERVICE_UNAVAILABLE).status(503)).build();
	}

	@Bean
	ChatProvider slow() {
		return ScriptedProvider.builder("slow").otherwise(Step.hang()).build();
	}

}
