package dev.llmfallback.springai;

import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.embedding.EmbeddingModel;
import org.springframework.ai.embedding.EmbeddingResponse;
import org.springframework.ai.tool.annotation.Tool;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.llmfallback.Attempt;
import dev.llmfallback.autoconfigure.FallbackAutoConfiguration;
import dev.llmfallback.autoconfigure.springai.FallbackSpringAiAutoConfiguration;
import dev.llmfallback.autoconfigure.springai.SpringAiProviderAutoConfiguration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Spring AI over the chain, in real contexts and over loopback HTTP: the primary (OpenAI format)
 * answers 503, the fallback speaks Anthropic's format.
 */
class FallbackChatModelTests {

	private final LoopbackLlm llm = new LoopbackLlm();

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(FallbackAutoConfiguration.class, FallbackSpringAiAutoConfiguration.class))
		.withPropertyValues(this.llm.properties());

	@AfterEach
	void stop() {
		this.llm.close();
	}

	@Test
	void aPlainChatClientCallHopsAndCarriesTheWalkInItsMetadata() {
		this.runner.run((context) -> {
			ChatModel model = context.getBean(ChatModel.class);
			assertThat(model).isInstanceOf(FallbackChatModel.class);
			ChatResponse response = ChatClient.create(model).prompt().system("Be brief").user("Hi").call().chatResponse();
			assertThat(response.getResult().getOutput().getText()).isEqualTo("Hello from Claude");
			assertThat((String) response.getMetadata().get(ChatResponseMapping.SERVED_BY)).isEqualTo("claude");
			List<Attempt> attempts = response.getMetadata().get(ChatResponseMapping.ATTEMPTS);
			assertThat(attempts).extracting(Attempt::model).containsExactly("primary", "claude");
			assertThat(attempts.get(0).outcome()).isEqualTo("service_unavailable");
			assertThat(response.getMetadata().getUsage().getTotalTokens()).isEqualTo(39);
			assertThat(response.getResult().getMetadata().getFinishReason()).isEqualTo("STOP");
		});
	}

	@Test
	void aToolMethodRunsInTheApplicationAndItsResultReachesTheFallbackModel() {
		this.runner.run((context) -> {
			Weather weather = new Weather();
			String answer = ChatClient.create(context.getBean(ChatModel.class))
				.prompt()
				.user("Weather in Paris?")
				.tools(weather)
				.call()
				.content();
			assertThat(weather.calls).isEqualTo(1);
			assertThat(answer).isEqualTo("The weather tool says: 21 degrees in Paris");
			// each turn of the loop is one walk of the chain: both turns tried the primary, then Anthropic
			assertThat(this.llm.down.get()).isEqualTo(2);
			assertThat(this.llm.anthropic.get()).isEqualTo(2);
		});
	}

	@Test
	void theToolLoopWorksStreamed() {
		this.runner.run((context) -> {
			Weather weather = new Weather();
			String answer = ChatClient.create(context.getBean(ChatModel.class))
				.prompt()
				.user("Weather in Paris?")
				.tools(weather)
				.stream()
				.content()
				.collect(Collectors.joining())
				.block(Duration.ofSeconds(10));
			assertThat(weather.calls).isEqualTo(1);
			assertThat(answer).isEqualTo("The weather tool says: 21 degrees in Paris");
		});
	}

	@Test
	void structuredOutputMapsTheAnswerToARecord() {
		this.runner.run((context) -> {
			City city = ChatClient.create(context.getBean(ChatModel.class))
				.prompt()
				.user("Capital of France?")
				.call()
				.entity(City.class);
			assertThat(city).isEqualTo(new City("Paris", "France"));
		});
	}

	@Test
	void anEmbeddingCallHopsAndDimensionsComeFromConfiguration() {
		this.runner.run((context) -> {
			EmbeddingModel model = context.getBean(EmbeddingModel.class);
			assertThat(model.dimensions()).isEqualTo(3);
			assertThat(this.llm.down.get()).isZero(); // no live call for dimensions()
			EmbeddingResponse response = model.embedForResponse(List.of("a", "b"));
			assertThat(response.getResults()).hasSize(2);
			assertThat(response.getResults().get(1).getOutput()).containsExactly(0.4f, 0.5f, 0.6f);
			assertThat((String) response.getMetadata().get(ChatResponseMapping.SERVED_BY)).isEqualTo("vectors-up");
		});
	}

	@Test
	void backsOffForTheApplicationsOwnChatModelUnlessAskedExplicitly() {
		this.runner.withUserConfiguration(OwnChatModel.class).run((context) -> {
			assertThat(context).hasSingleBean(ChatModel.class);
			assertThat(context).doesNotHaveBean(FallbackChatModel.class);
		});
		this.runner.withUserConfiguration(OwnChatModel.class)
			.withPropertyValues("llm.fallback.spring-ai.enabled=true")
			.run((context) -> assertThat(context.getBean(ChatModel.class)).isInstanceOf(FallbackChatModel.class));
		this.runner.withPropertyValues("llm.fallback.spring-ai.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(ChatModel.class).doesNotHaveBean(EmbeddingModel.class));
	}

	@Test
	void withoutSpringAiNoSpringAiClassIsLoaded() {
		this.runner.withConfiguration(AutoConfigurations.of(SpringAiProviderAutoConfiguration.class))
			.withClassLoader(new FilteredClassLoader("org.springframework.ai"))
			.run((context) -> {
				assertThat(context).hasNotFailed()
					.hasSingleBean(dev.llmfallback.ChatService.class)
					.doesNotHaveBean(FallbackChatModel.class)
					.doesNotHaveBean(SpringAiProviderAutoConfiguration.class);
				assertThat(context.getBeanNamesForType(FallbackEmbeddingModel.class)).isEmpty();
			});
	}

	record City(String name, String country) {
	}

	static final class Weather {

		int calls;

		@Tool(description = "The current weather in a city")
		String weather(String city) {
			this.calls++;
			return "21 degrees in " + city;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class OwnChatModel {

		@Bean
		ChatModel ownChatModel() {
			return (prompt) -> new ChatResponse(List.of());
		}

	}

}
