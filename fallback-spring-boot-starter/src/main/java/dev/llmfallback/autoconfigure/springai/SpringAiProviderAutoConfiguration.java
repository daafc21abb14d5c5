package dev.llmfallback.autoconfigure.springai;

import org.springframework.ai.chat.model.ChatModel;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;

import dev.llmfallback.autoconfigure.FallbackAutoConfiguration;

/**
 * Providers of {@code type: spring-ai}: a Spring AI {@code ChatModel} bean as a step of a chain.
 * Apart from {@link FallbackSpringAiAutoConfiguration}, so that
 * {@code llm.fallback.spring-ai.enabled=false} (no FallbackChatModel) keeps them.
 */
@AutoConfiguration(before = FallbackAutoConfiguration.class)
@ConditionalOnClass(ChatModel.class)
public final class SpringAiProviderAutoConfiguration {

	/** Static: it registers bean definitions before any bean is created. */
	@Bean
	static SpringAiProviderRegistrar llmFallbackSpringAiProviderRegistrar() {
		return new SpringAiProviderRegistrar();
	}

}
