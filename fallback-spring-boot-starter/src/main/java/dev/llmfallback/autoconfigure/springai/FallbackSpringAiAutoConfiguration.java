package dev.llmfallback.autoconfigure.springai;

import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.embedding.EmbeddingModel;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.AnyNestedCondition;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.ConfigurationCondition;
import org.springframework.context.annotation.Lazy;
import org.springframework.context.annotation.Primary;

import dev.llmfallback.autoconfigure.FallbackAutoConfiguration;
import dev.llmfallback.autoconfigure.LlmFallbackProperties;
import dev.llmfallback.engine.FallbackEngine;
import dev.llmfallback.springai.FallbackChatModel;
import dev.llmfallback.springai.FallbackEmbeddingModel;

/**
 * Auto-configures {@link FallbackChatModel} and {@link FallbackEmbeddingModel} when Spring AI is on
 * the classpath. Each backs off when the application (or a Spring AI model starter) defines its own
 * {@code ChatModel} / {@code EmbeddingModel}, unless {@code llm.fallback.spring-ai.enabled=true} is
 * set explicitly: then it is added beside the others as the {@code @Primary} one, which
 * {@code ChatClient.Builder} picks.
 */
@AutoConfiguration(after = FallbackAutoConfiguration.class,
		afterName = { "org.springframework.ai.model.openai.autoconfigure.OpenAiChatAutoConfiguration",
				"org.springframework.ai.model.openai.autoconfigure.OpenAiEmbeddingAutoConfiguration",
				"org.springframework.ai.model.anthropic.autoconfigure.AnthropicChatAutoConfiguration" })
@ConditionalOnClass(ChatModel.class)
@ConditionalOnBean(FallbackEngine.class)
@ConditionalOnBooleanProperty(name = "llm.fallback.spring-ai.enabled", matchIfMissing = true)
public final class FallbackSpringAiAutoConfiguration {

	@Bean
	@Primary
	@Conditional(NoChatModelOrAsked.class)
	FallbackChatModel fallbackChatModel(FallbackEngine engine, LlmFallbackProperties properties) {
		return new FallbackChatModel(engine, properties.springAi().policy());
	}

	/** Lazy: a configuration without embedding policies starts; only a bean that embeds needs one. */
	@Bean
	@Lazy
	@Primary
	@Conditional(NoEmbeddingModelOrAsked.class)
	FallbackEmbeddingModel fallbackEmbeddingModel(FallbackEngine engine, LlmFallbackProperties properties) {
		return new FallbackEmbeddingModel(engine, properties.springAi().embeddingPolicy());
	}

	static final class NoChatModelOrAsked extends AnyNestedCondition {

		NoChatModelOrAsked() {
			super(ConfigurationCondition.ConfigurationPhase.REGISTER_BEAN);
		}

		@ConditionalOnMissingBean(ChatModel.class)
		static final class NoChatModel {

		}

		@ConditionalOnProperty(name = "llm.fallback.spring-ai.enabled", havingValue = "true")
		static final class Asked {

		}

	}

	static final class NoEmbeddingModelOrAsked extends AnyNestedCondition {

		NoEmbeddingModelOrAsked() {
			super(ConfigurationCondition.ConfigurationPhase.REGISTER_BEAN);
		}

		@ConditionalOnMissingBean(EmbeddingModel.class)
		static final class NoEmbeddingModel {

		}

		@ConditionalOnProperty(name = "llm.fallback.spring-ai.enabled", havingValue = "true")
		static final class Asked {

		}

	}

}
