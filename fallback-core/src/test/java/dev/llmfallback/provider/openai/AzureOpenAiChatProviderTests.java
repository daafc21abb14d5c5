package dev.llmfallback.provider.openai;

import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import dev.llmfallback.ChatRequest;
import dev.llmfallback.ErrorCategory;
import dev.llmfallback.LlmException;
import dev.llmfallback.LlmException.ClassificationBasis;
import dev.llmfallback.provider.AbstractProviderTests;
import dev.llmfallback.provider.ChatProviders;
import dev.llmfallback.provider.ClassificationRules;
import dev.llmfallback.provider.ErrorCase;
import dev.llmfallback.provider.ProviderChunk;
import dev.llmfallback.provider.ProviderRequest;
import dev.llmfallback.provider.ProviderSettings;
import dev.llmfallback.provider.StubServer.Recorded;
import dev.llmfallback.provider.StubServer.Reply;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

import static dev.llmfallback.provider.Failures.expectFailure;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * {@link AzureOpenAiChatProvider} against a loopback server replaying Azure OpenAI's wire format
 * (https://learn.microsoft.com/en-us/azure/ai-services/openai/reference).
 */
class AzureOpenAiChatProviderTests extends AbstractProviderTests {

	private static final String COMPLETION = """
			{"choices":[{"content_filter_results":{"hate":{"filtered":false,"severity":"safe"}},"finish_reason":"stop","index":0,
			  "message":{"content":"Hello there.","role":"assistant"}}],
			 "created":1724000000,"id":"chatcmpl-9x","model":"gpt-4o-2024-08-06","object":"chat.completion",
			 "prompt_filter_results":[{"prompt_index":0,"content_filter_results":{"hate":{"filtered":false,"severity":"safe"}}}],
			 "usage":{"completion_tokens":3,"prompt_tokens":9,"total_tokens":12}}
			""";

	// Azure sends the prompt's filter results first, in a chunk without choices.
	private static final String STREAM = """
			data: {"choices":[],"created":0,"id":"","model":"","object":"","prompt_filter_results":[{"prompt_index":0,"content_filter_results":{"hate":{"filtered":false,"severity":"safe"}}}]}

			data: {"choices":[{"content_filter_results":{},"delta":{"content":"Hel","role":"assistant"},"finish_reason":null,"index":0}],"created":1724000000,"id":"chatcmpl-9x","model":"gpt-4o-2024-08-06","object":"chat.completion.chunk"}

			data: {"choices":[{"content_filter_results":{},"delta":{"content":"lo"},"finish_reason":null,"index":0}],"created":1724000000,"id":"chatcmpl-9x","model":"gpt-4o-2024-08-06","object":"chat.completion.chunk"}

			data: {"choices":[{"content_filter_results":{},"delta":{},"finish_reason":"stop","index":0}],"created":1724000000,"id":"chatcmpl-9x","model":"gpt-4o-2024-08-06","object":"chat.completion.chunk"}

			data: [DONE]

			""";

	@Override
	protected String plainAnswer() {
		return COMPLETION;
	}

	@Override
	protected String type() {
		return "azure-openai";
	}

	@Override
	protected String truncatedStream() {
		return STREAM.substring(0, STREAM.indexOf("data: [DONE]"));
	}

	@Override
	protected ProviderSettings.Builder settings() {
		return super.settings().apiVersion("2024-10-21");
	}

	@Test
	void chatUsesTheDeploymentUrlAndTheApiKeyHeader() {
		this.server.enqueue(Reply.json(200, COMPLETION));
		provider().chat(new ProviderRequest("my-gpt4o", ChatRequest.of("Hi"))).block(Duration.ofSeconds(10));
		Recorded request = this.server.takeRequest();
		assertThat(request.uri()).isEqualTo("/openai/deployments/my-gpt4o/chat/completions?api-version=2024-10-21");
		assertThat(request.header("api-key")).isEqualTo(KEY);
		assertThat(request.header("Authorization")).isNull();
		JsonNode body = request.json();
		assertThat(body.has("model")).isFalse();
		assertThat(body.get("messages").get(0).get("content").stringValue()).isEqualTo("Hi");
	}

	@Test
	void defaultApiVersionIsUsedWhenNoneIsConfigured() {
		this.server.enqueue(Reply.json(200, COMPLETION));
		provider(settings().apiVersion(null)).chat(request("Hi")).block(Duration.ofSeconds(10));
		assertThat(this.server.takeRequest().uri()).endsWith("api-version=" + AzureOpenAiChatProvider.DEFAULT_API_VERSION);
	}

	@Test
	void missingBaseUrlIsRefused() {
		ProviderSettings settings = ProviderSettings.builder("azure", "azure-openai").apiKey(KEY).build();
		assertThatIllegalArgumentException().isThrownBy(() -> ChatProviders.create(settings, null, ClassificationRules.none()))
			.withMessageContaining("base-url");
	}

	@Test
	void streamSkipsThePromptFilterChunk() {
		this.server.enqueue(Reply.split("text/event-stream", STREAM, 17));
		List<ProviderChunk> chunks = provider().stream(request("Hi")).collectList().block(Duration.ofSeconds(10));
		assertThat(chunks).extracting(ProviderChunk::delta).containsExactly("Hel", "lo", "");
		assertThat(chunks.get(2).finishReason()).isEqualTo("stop");
	}

	@Test
	void contentFilterNamesTheInnerCode() {
		this.server.enqueue(errors().findFirst().orElseThrow().reply());
		LlmException failure = expectFailure(provider().chat(request("Hi")), ErrorCategory.CONTENT_POLICY, null);
		assertThat(failure.errorCode()).isEqualTo("ResponsibleAIPolicyViolation");
	}

	@Test
	void rateLimitReadsTheWaitFromTheMessageWhenNoHeaderCarriesIt() {
		this.server.enqueue(Reply.json(429, """
				{"error":{"code":"429","message":"Requests to the ChatCompletions_Create Operation under Azure OpenAI API version 2024-02-01 have exceeded token rate limit of your current OpenAI S0 pricing tier. Please retry after 60 seconds. Please go here: https://aka.ms/oai/quotaincrease if you would like to further increase the default rate limit."}}
				"""));
		LlmException failure = expectFailure(provider().chat(request("Hi")), ErrorCategory.RATE_LIMIT,
				ClassificationBasis.MESSAGE);
		assertThat(failure.retryAfter()).isEqualTo(Duration.ofSeconds(60));
	}

	static Stream<ErrorCase> errors() {
		return Stream.of(
				ErrorCase.of("https://github.com/compl-ai/compl-ai/issues/20 (content_filter + ResponsibleAIPolicyViolation)", 400, """
						{"error": {"message": "The response was filtered due to the prompt triggering Azure OpenAI's content management policy. Please modify your prompt and retry. To learn more about our content filtering policies please read our documentation: https://go.microsoft.com/fwlink/?linkid=2198766", "type": null, "param": "prompt", "code": "content_filter", "status": 400,
						  "innererror": {"code": "ResponsibleAIPolicyViolation", "content_filter_result": {"hate": {"filtered": false, "severity": "safe"}, "jailbreak": {"filtered": false, "detected": false}, "self_harm": {"filtered": false, "severity": "safe"}, "sexual": {"filtered": false, "severity": "safe"}, "violence": {"filtered": true, "severity": "medium"}}}}}
						""", ErrorCategory.CONTENT_POLICY, ClassificationBasis.CODE),
				ErrorCase.of("https://github.com/openai/openai-python/issues/331 (content_filter, no innererror)", 400, """
						{"error":{"message":"The response was filtered due to the prompt triggering Azure OpenAI’s content management policy. Please modify your prompt and retry. To learn more about our content filtering policies please read our documentation: https://go.microsoft.com/fwlink/?linkid=2198766","type":null,"param":"prompt","code":"content_filter","status":400}}
						""", ErrorCategory.CONTENT_POLICY, ClassificationBasis.CODE),
				ErrorCase.of("https://github.com/DmitryKatson/bc-code-interpreter/issues/2 (token rate limit of the S0 tier)", 429, """
						{"error":{"code":"429","message":"Requests to the ChatCompletions_Create Operation under Azure OpenAI API version 2024-02-01 have exceeded token rate limit of your current OpenAI S0 pricing tier. Please retry after 60 seconds. Please go here: https://aka.ms/oai/quotaincrease if you would like to further increase the default rate limit."}}
						""", ErrorCategory.RATE_LIMIT, ClassificationBasis.MESSAGE).header("retry-after", "60"),
				ErrorCase.of("https://github.com/chatboxai/chatbox/issues/646 (404 DeploymentNotFound)", 404, """
						{"error":{"code":"DeploymentNotFound","message":"The API deployment for this resource does not exist. If you created the deployment within the last 5 minutes, please wait a moment and try again."}}
						""", ErrorCategory.NOT_FOUND, ClassificationBasis.CODE),
				ErrorCase.of("https://github.com/SciSharp/BotSharp/issues/386 (401 invalid subscription key)", 401, """
						{"error":{"code":"401","message":"Access denied due to invalid subscription key or wrong API endpoint. Make sure to provide a valid key for an active subscription and use a correct regional API endpoint for your resource."}}
						""", ErrorCategory.AUTHENTICATION, ClassificationBasis.MESSAGE),
				ErrorCase.of("https://github.com/vercel/chatbot/issues/588 (401 with code Unauthorized)", 401, """
						{"error":{"code":"Unauthorized","message": "Access denied due to invalid subscription key or wrong API endpoint. Make sure to provide a valid key for an active subscription and use a correct regional API endpoint for your resource."}}
						""", ErrorCategory.AUTHENTICATION, ClassificationBasis.CODE),
				ErrorCase.of("https://github.com/assafelovic/gpt-researcher/issues/680 (Azure GPT-4o, 400 context_length_exceeded)", 400, """
						{"error": {"message": "This model's maximum context length is 128000 tokens. However, your messages resulted in 192041 tokens. Please reduce the length of the messages.", "type": "invalid_request_error", "param": "messages", "code": "context_length_exceeded"}}
						""", ErrorCategory.CONTEXT_WINDOW_EXCEEDED, ClassificationBasis.CODE),
				ErrorCase.of("https://github.com/BerriAI/litellm/issues/15968 (Azure: input tokens exceed the configured limit)", 400, """
						{"error":{"message":"Input tokens exceed the configured limit of 272000 tokens. Your messages resulted in 301233 tokens. Please reduce the length of the messages.","type":"invalid_request_error","param":"messages","code":null}}
						""", ErrorCategory.CONTEXT_WINDOW_EXCEEDED, ClassificationBasis.MESSAGE),
				ErrorCase.of("https://github.com/microsoft/copilot-camp/issues/551 (429 rate limit is exceeded)", 429, """
						{"error":{"code":"429","message": "Rate limit is exceeded. Try again in 2 seconds."}}
						""", ErrorCategory.RATE_LIMIT, ClassificationBasis.MESSAGE),
				ErrorCase.of("https://github.com/Azure-Samples/azure-search-openai-demo/issues/1390 (500 server_error)", 500, """
						{ "error": { "message": "The server had an error while processing your request. Sorry about that! You can retry your request, or contact us through an Azure support request at: https://go.microsoft.com/fwlink/?linkid=2213926 if the error persists. (Please include the request ID 6d6321f8-e4aa-4a77-9aa0-67868802d7ca in your message.)", "type": "server_error", "param": null, "code": null } }
						""", ErrorCategory.SERVER_ERROR, ClassificationBasis.CODE));
	}

}
