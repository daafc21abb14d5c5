package dev.llmfallback.autoconfigure;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.micrometer.observation.ObservationRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Lazy;
import org.springframework.web.reactive.function.client.WebClient;

import dev.llmfallback.ChatService;
import dev.llmfallback.EmbeddingService;
import dev.llmfallback.engine.FallbackEngine;
import dev.llmfallback.event.FallbackEventListener;
import dev.llmfallback.policy.FallbackPolicy;
import dev.llmfallback.policy.ModelDefinition;
import dev.llmfallback.provider.ChatProvider;
import dev.llmfallback.provider.ClassificationRules;
import dev.llmfallback.provider.ProviderSettings;
import dev.llmfallback.state.SharedState;

/**
 * Auto-configures the fallback engine from {@code llm.fallback} properties: one provider adapter
 * per configured provider, the models and policies, and a {@link ChatService} for the default
 * policy. Every bean backs off when the application defines its own.
 */
@AutoConfiguration
@ConditionalOnClass(FallbackEngine.class)
@ConditionalOnBooleanProperty(name = "llm.fallback.enabled", matchIfMissing = true)
@EnableConfigurationProperties(LlmFallbackProperties.class)
public final class FallbackAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	ClassificationRules llmFallbackClassificationRules(LlmFallbackProperties properties) {
		return new FallbackConfigurationMapper(properties).classificationRules();
	}

	@Bean
	@ConditionalOnMissingBean
	ConfiguredProviders llmFallbackProviders(LlmFallbackProperties properties, ClassificationRules rules,
			ObjectProvider<ChatProvider> applicationProviders, ObjectProvider<WebClient.Builder> webClientBuilder,
			ObjectProvider<ProviderWebClientCustomizer> customizers) {
		FallbackConfigurationMapper mapper = new FallbackConfigurationMapper(properties);
		Map<String, ChatProvider> providers = new LinkedHashMap<>();
		applicationProviders.orderedStream().forEach((provider) -> providers.putIfAbsent(provider.name(), provider));
		Map<String, ProviderSettings> created = new LinkedHashMap<>();
		List<ProviderWebClientCustomizer> customizing = customizers.orderedStream().toList();
		// Calls go through a WebClient only where the application configures one (a WebClient.Builder
		// bean, a customizer), whose filters and observation then apply; otherwise straight through
		// Reactor Netty, which costs the gateway about 13 % less CPU per request.
		boolean viaWebClient = webClientBuilder.getIfAvailable() != null || !customizing.isEmpty();
		properties.providers().forEach((name, provider) -> {
			if (providers.containsKey(name)) {
				return; // the application's own bean replaces the configured provider
			}
			ProviderSettings settings = mapper.providerSettings(name, provider);
			WebClient.Builder builder = viaWebClient ? webClientBuilder.getIfAvailable(WebClient::builder) : null;
			if (builder != null) {
				customizing.forEach((customizer) -> customizer.customize(name, builder));
			}
			providers.put(name, mapper.provider(settings, builder, rules));
			created.put(name, settings);
		});
		return new ConfiguredProviders(providers, created);
	}

	@Bean
	@ConditionalOnMissingBean
	FallbackEngine fallbackEngine(LlmFallbackProperties properties, ConfiguredProviders providers,
			ObjectProvider<FallbackEventListener> listeners, ObjectProvider<ObservationRegistry> observationRegistry,
			ObjectProvider<SharedState> sharedState) {
		FallbackConfigurationMapper mapper = new FallbackConfigurationMapper(properties);
		SharedState shared = (properties.state().store() == LlmFallbackProperties.State.StateStoreType.REDIS)
				? sharedState.getIfAvailable() : null;
		mapper.checkStateStore(shared);
		Map<String, ModelDefinition> models = new LinkedHashMap<>();
		properties.models().forEach((name, model) -> models.put(name, mapper.model(name, model, providers)));
		List<FallbackPolicy> policies = new ArrayList<>();
		properties.policies().forEach((name, policy) -> policies.add(mapper.policy(name, policy)));
		mapper.providersInUse(models, policies).forEach((provider, policy) -> {
			ProviderSettings settings = providers.settings().get(provider);
			if (settings != null) {
				mapper.checkApiKey(settings, policy);
			}
		});
		return FallbackEngine.builder()
			.providers(providers.all())
			.models(models.values())
			.policies(policies)
			.defaultPolicy(properties.defaultPolicy())
			.defaultEmbeddingPolicy(properties.defaultEmbeddingPolicy())
			.listeners(listeners.orderedStream().toList())
			.observationRegistry(observationRegistry.getIfAvailable(() -> ObservationRegistry.NOOP))
			.sharedState(shared)
			.build();
	}

	@Bean
	@ConditionalOnMissingBean
	ChatService chatService(FallbackEngine engine) {
		return engine.chatService();
	}

	/**
	 * The embedding service of the default embedding policy; made when first asked for, so that a
	 * configuration without embedding policies starts and only a bean that needs one fails.
	 */
	@Bean
	@Lazy
	@ConditionalOnMissingBean
	EmbeddingService embeddingService(FallbackEngine engine) {
		return engine.embeddingService();
	}

}
