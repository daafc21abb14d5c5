package dev.llmfallback.autoconfigure.springai;

import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

import org.jspecify.annotations.Nullable;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.beans.BeansException;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.BeanDefinitionRegistryPostProcessor;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.EnvironmentAware;
import org.springframework.core.env.Environment;

import dev.llmfallback.autoconfigure.LlmFallbackProperties;
import dev.llmfallback.policy.FallbackConfigurationException;
import dev.llmfallback.provider.ClassificationRules;
import dev.llmfallback.springai.FallbackChatModel;
import dev.llmfallback.springai.SpringAiChatProvider;

/**
 * Registers one {@link SpringAiChatProvider} bean per provider of {@code type: spring-ai}. The
 * fallback auto-configuration takes a {@code ChatProvider} bean of a provider's name in place of
 * one built from properties, so the chain sees these like any other provider. Each wraps the
 * {@code ChatModel} bean its {@code bean:} names, resolved when the provider is created: a missing
 * name or a bean that is no {@code ChatModel} fails start-up naming the property and the
 * {@code ChatModel} beans there are.
 */
final class SpringAiProviderRegistrar implements BeanDefinitionRegistryPostProcessor, EnvironmentAware, BeanFactoryAware {

	static final String TYPE = "spring-ai";

	// Both set by Spring (EnvironmentAware, BeanFactoryAware) before any post-processing.
	private @Nullable Environment environment;

	private @Nullable ListableBeanFactory beanFactory;

	@Override
	public void setEnvironment(Environment environment) {
		this.environment = environment;
	}

	@Override
	public void setBeanFactory(BeanFactory beanFactory) throws BeansException {
		this.beanFactory = (ListableBeanFactory) beanFactory;
	}

	@Override
	public void postProcessBeanDefinitionRegistry(BeanDefinitionRegistry registry) {
		Binder binder = Binder.get(Objects.requireNonNull(this.environment));
		if (!binder.bind("llm.fallback.enabled", Boolean.class).orElse(true)) {
			return;
		}
		Map<String, LlmFallbackProperties.Provider> providers = binder
			.bind("llm.fallback.providers", Bindable.mapOf(String.class, LlmFallbackProperties.Provider.class))
			.orElse(Map.of());
		providers.forEach((name, provider) -> {
			if (provider.type() != null && TYPE.equals(provider.type().trim().toLowerCase(Locale.ROOT).replace('_', '-'))) {
				RootBeanDefinition definition = new RootBeanDefinition(SpringAiChatProvider.class,
						() -> create(name, provider.bean()));
				registry.registerBeanDefinition("llmFallbackSpringAiProvider." + name, definition);
			}
		});
	}

	private SpringAiChatProvider create(String name, @Nullable String beanName) {
		ListableBeanFactory beanFactory = Objects.requireNonNull(this.beanFactory);
		String property = "providers." + name + ".bean";
		String models = String.join(", ", Arrays.stream(beanFactory.getBeanNamesForType(ChatModel.class, true, false))
			.filter((candidate) -> !beanFactory.isTypeMatch(candidate, FallbackChatModel.class))
			.toList());
		String choose = models.isEmpty() ? "There is no ChatModel bean: add a Spring AI model starter or define one"
				: "Set it to one of the ChatModel beans: " + models;
		if (beanName == null || beanName.isBlank()) {
			throw new FallbackConfigurationException(property, "is not set, but provider '" + name + "' has type spring-ai",
					choose);
		}
		if (!beanFactory.containsBean(beanName)) {
			throw new FallbackConfigurationException(property, "names no bean ('" + beanName + "')", choose);
		}
		Object bean = beanFactory.getBean(beanName);
		if (!(bean instanceof ChatModel model) || bean instanceof FallbackChatModel) {
			throw new FallbackConfigurationException(property, "names bean '" + beanName + "' of type "
					+ bean.getClass().getName() + ", which is not a Spring AI ChatModel of a provider", choose);
		}
		SpringAiRetries.warnIfOn(name, model, Objects.requireNonNull(this.environment));
		return new SpringAiChatProvider(name, model,
				beanFactory.getBeanProvider(ClassificationRules.class).getIfAvailable());
	}

}
