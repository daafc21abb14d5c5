package dev.llmfallback.autoconfigure.springai;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.openai.OpenAiChatModel;
import org.springframework.ai.openai.OpenAiChatOptions;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.StandardEnvironment;

import dev.llmfallback.Attempt;
import dev.llmfallback.ChatChunk;
import dev.llmfallback.ChatRequest;
import dev.llmfallback.ChatResponse;
import dev.llmfallback.ChatService;
import dev.llmfallback.autoconfigure.FallbackAutoConfiguration;
import dev.llmfallback.springai.LoopbackLlm;
import dev.llmfallback.springai.SpringAiChatProvider;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Provider {@code type: spring-ai}: a real Spring AI {@link OpenAiChatModel} (the official OpenAI
 * Java SDK underneath) pointed at loopback servers, as a step of a chain.
 */
class SpringAiProviderTests {

	private final LoopbackLlm llm = new LoopbackLlm();

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(FallbackAutoConfiguration.class, SpringAiProviderAutoConfiguration.class,
				FallbackSpringAiAutoConfiguration.class))
		.withPropertyValues(this.llm.properties())
		.withBean("downOpenAi", ChatModel.class, () -> openAi("/down/v1", 0))
		.withBean("upOpenAi", ChatModel.class, () -> openAi("/up/v1", 0))
		.withPropertyValues("llm.fallback.providers.wrapped.type=spring-ai",
				"llm.fallback.providers.wrapped.bean=downOpenAi", "llm.fallback.models.wrapped.provider=wrapped",
				"llm.fallback.models.wrapped.model=gpt-4o-mini", "llm.fallback.policies.chat.models=wrapped,claude",
				"llm.fallback.spring-ai.enabled=false");

	@AfterEach
	void stop() {
		this.llm.close();
	}

	private OpenAiChatModel openAi(String path, int maxRetries) {
		return OpenAiChatModel.builder()
			.options(OpenAiChatOptions.builder()
				.baseUrl("http://127.0.0.1:" + this.llm.port() + path)
				.apiKey("sk-test")
				.model("gpt-4o-mini")
				.maxRetries(maxRetries)
				.build())
			.build();
	}

	@Test
	void a503FromTheWrappedModelIsClassifiedAndTheChainHops() {
		this.runner.run((context) -> {
			ChatResponse response = context.getBean(ChatService.class).chat(ChatRequest.of("Hi")).block(Duration.ofSeconds(20));
			assertThat(response.servedBy()).isEqualTo("claude");
			Attempt first = response.attempts().get(0);
			assertThat(first.model()).isEqualTo("wrapped");
			assertThat(first.outcome()).isEqualTo("service_unavailable");
			assertThat(first.httpStatus()).isEqualTo(503);
			assertThat(this.llm.down.get()).isEqualTo(1); // maxRetries 0: the SDK did not retry under us
		});
	}

	@Test
	void theWrappedModelServesCallsAndStreams() {
		this.runner.withPropertyValues("llm.fallback.providers.wrapped.bean=upOpenAi").run((context) -> {
			assertThat(context.getBean("llmFallbackSpringAiProvider.wrapped")).isInstanceOf(SpringAiChatProvider.class);
			ChatResponse response = context.getBean(ChatService.class).chat(ChatRequest.of("Hi")).block(Duration.ofSeconds(20));
			assertThat(response.servedBy()).isEqualTo("wrapped");
			assertThat(response.content()).isEqualTo("Hello from up");
			assertThat(response.usage().totalTokens()).isEqualTo(8);
			List<ChatChunk> chunks = context.getBean(ChatService.class)
				.stream(ChatRequest.of("Hi"))
				.collectList()
				.block(Duration.ofSeconds(20));
			assertThat(chunks.stream().map(ChatChunk::delta).reduce("", String::concat)).isEqualTo("Hello from up");
			ChatChunk last = chunks.get(chunks.size() - 1);
			assertThat(last.servedBy()).isEqualTo("wrapped");
			assertThat(last.finishReason()).isEqualTo("stop");
		});
	}

	@Test
	void theWrappedModelGetsTheToolsAndReturnsItsToolCallsUnrun() {
		this.runner.withPropertyValues("llm.fallback.providers.wrapped.bean=upOpenAi").run((context) -> {
			ChatRequest request = ChatRequest.builder()
				.user("Weather in Paris?")
				.tool(dev.llmfallback.Tool.function("weather", "The weather in a city",
						java.util.Map.of("type", "object", "properties",
								java.util.Map.of("city", java.util.Map.of("type", "string")))))
				.build();
			ChatResponse response = context.getBean(ChatService.class).chat(request).block(Duration.ofSeconds(20));
			assertThat(response.servedBy()).isEqualTo("wrapped");
			assertThat(response.finishReason()).isEqualTo("tool_calls");
			assertThat(response.toolCalls()).containsExactly(new dev.llmfallback.ToolCall("call_up_1", "weather",
					"{\"city\":\"Paris\"}"));
		});
	}

	@Test
	void anUnknownBeanFailsStartUpNamingThePropertyAndTheChatModels() {
		this.runner.withPropertyValues("llm.fallback.providers.wrapped.bean=nope").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.hasMessageContaining("providers.wrapped.bean")
				.hasMessageContaining("downOpenAi")
				.hasMessageContaining("upOpenAi");
		});
	}

	@Test
	void aBeanThatIsNoChatModelFailsStartUp() {
		this.runner.withBean("notAModel", String.class, () -> "hello")
			.withPropertyValues("llm.fallback.providers.wrapped.bean=notAModel")
			.run((context) -> assertThat(context.getStartupFailure()).rootCause()
				.hasMessageContaining("providers.wrapped.bean")
				.hasMessageContaining("not a Spring AI ChatModel"));
	}

	@Test
	void sdkRetriesLeftOnAreNamedInAWarning() {
		String warning = SpringAiRetries.warning("wrapped", openAi("/down/v1", 3), new StandardEnvironment());
		assertThat(warning).contains("spring.ai.openai.max-retries=0").contains("3 time(s)");
		assertThat(SpringAiRetries.warning("wrapped", openAi("/down/v1", 0), new StandardEnvironment())).isNull();
	}

	@Test
	void withoutSpringAiTheTypeFailsStartUpSayingWhatToAdd() {
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(FallbackAutoConfiguration.class,
				SpringAiProviderAutoConfiguration.class, FallbackSpringAiAutoConfiguration.class))
			.withClassLoader(new FilteredClassLoader("org.springframework.ai"))
			.withPropertyValues("llm.fallback.providers.wrapped.type=spring-ai",
					"llm.fallback.providers.wrapped.bean=openAiChatModel", "llm.fallback.models.m.provider=wrapped",
					"llm.fallback.policies.chat.models=m")
			.run((context) -> assertThat(context.getStartupFailure()).rootCause()
				.hasMessageContaining("providers.wrapped.type")
				.hasMessageContaining("Spring AI is not on the classpath"));
	}

}
