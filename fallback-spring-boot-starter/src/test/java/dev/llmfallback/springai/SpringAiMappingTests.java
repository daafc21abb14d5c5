package dev.llmfallback.springai;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.messages.SystemMessage;
import org.springframework.ai.chat.messages.ToolResponseMessage;
import org.springframework.ai.chat.messages.UserMessage;
import org.springframework.ai.chat.prompt.ChatOptions;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.ai.content.Media;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.util.MimeTypeUtils;
import org.springframework.web.client.HttpClientErrorException;
import org.springframework.web.reactive.function.client.WebClientResponseException;

import dev.llmfallback.ChatMessage;
import dev.llmfallback.ChatRequest;
import dev.llmfallback.ContentPart;
import dev.llmfallback.ErrorCategory;
import dev.llmfallback.LlmException;
import dev.llmfallback.Role;
import dev.llmfallback.ToolCall;

import static org.assertj.core.api.Assertions.assertThat;

/** Spring AI prompts to our requests and back, and Spring AI's failures to our categories. */
class SpringAiMappingTests {

	@Test
	void everyKindOfMessageAndTheOptionsMap() {
		Prompt prompt = new Prompt(List.of(new SystemMessage("Be brief"),
				UserMessage.builder()
					.text("What is this?")
					.media(new Media(MimeTypeUtils.IMAGE_PNG, new ByteArrayResource(new byte[] { 1, 2, 3 })))
					.build(),
				AssistantMessage.builder()
					.content("")
					.toolCalls(List.of(new AssistantMessage.ToolCall("call_1", "function", "lookup", "{\"q\":\"x\"}")))
					.build(),
				ToolResponseMessage.builder()
					.responses(List.of(new ToolResponseMessage.ToolResponse("call_1", "lookup", "found")))
					.build()),
				ChatOptions.builder()
					.temperature(0.2)
					.maxTokens(50)
					.topP(0.9)
					.stopSequences(List.of("END"))
					.presencePenalty(0.5)
					.topK(40)
					.build());
		ChatRequest request = PromptMapping.request(prompt, null);
		assertThat(request.messages()).extracting(ChatMessage::role)
			.containsExactly(Role.SYSTEM, Role.USER, Role.ASSISTANT, Role.TOOL);
		assertThat(request.messages().get(1).parts()).hasSize(2)
			.element(1)
			.isEqualTo(ContentPart.imageData("image/png", "AQID"));
		assertThat(request.messages().get(2).toolCalls()).containsExactly(new ToolCall("call_1", "lookup", "{\"q\":\"x\"}"));
		assertThat(request.messages().get(3).toolCallId()).isEqualTo("call_1");
		assertThat(request.messages().get(3).content()).isEqualTo("found");
		assertThat(request.temperature()).isEqualTo(0.2);
		assertThat(request.maxTokens()).isEqualTo(50);
		assertThat(request.topP()).isEqualTo(0.9);
		assertThat(request.stop()).containsExactly("END");
		// No field of ours: carried in extra by OpenAI's names, for each provider to translate or refuse.
		assertThat(request.extra()).isEqualTo(Map.of("presence_penalty", 0.5, "top_k", 40));
	}

	@Test
	void mediaOtherThanImagesIsRefused() {
		Prompt prompt = new Prompt(UserMessage.builder()
			.text("Listen")
			.media(new Media(MimeTypeUtils.parseMimeType("audio/wav"), new ByteArrayResource(new byte[] { 1 })))
			.build());
		LlmException refused = org.assertj.core.api.Assertions.catchThrowableOfType(LlmException.class,
				() -> PromptMapping.request(prompt, null));
		assertThat(refused.category()).isEqualTo(ErrorCategory.UNSUPPORTED);
		assertThat(refused.getMessage()).contains("audio/wav");
	}

	@Test
	void aVendorsOptionsAreRefusedRatherThanHalfRead() {
		Prompt prompt = new Prompt("Hi", org.springframework.ai.openai.OpenAiChatOptions.builder().temperature(0.1).build());
		LlmException refused = org.assertj.core.api.Assertions.catchThrowableOfType(LlmException.class,
				() -> PromptMapping.request(prompt, null));
		assertThat(refused.category()).isEqualTo(ErrorCategory.BAD_REQUEST);
		assertThat(refused.getMessage()).contains("OpenAiChatOptions");
	}

	@Test
	void ourRequestBecomesAPromptWithToolResultsGroupedAndNamed() {
		List<org.springframework.ai.chat.messages.Message> messages = SpringAiRequestMapping.messages(List.of(
				ChatMessage.user("Weather?"),
				ChatMessage.assistant(null, List.of(new ToolCall("a", "weather", "{}"), new ToolCall("b", "time", "{}"))),
				ChatMessage.toolResult("a", "sunny"), ChatMessage.toolResult("b", "noon")));
		assertThat(messages).hasSize(3);
		ToolResponseMessage results = (ToolResponseMessage) messages.get(2);
		assertThat(results.getResponses()).containsExactly(new ToolResponseMessage.ToolResponse("a", "weather", "sunny"),
				new ToolResponseMessage.ToolResponse("b", "time", "noon"));
	}

	@Test
	void finishReasonsOfEveryVendorBecomeOurs() {
		assertThat(SpringAiChatProvider.finishReason("END_TURN", false)).isEqualTo("stop");
		assertThat(SpringAiChatProvider.finishReason("MAX_TOKENS", false)).isEqualTo("length");
		assertThat(SpringAiChatProvider.finishReason("STOP", true)).isEqualTo("tool_calls");
		assertThat(SpringAiChatProvider.finishReason("SAFETY", false)).isEqualTo("content_filter");
	}

	@Test
	void httpClientStatusExceptionsAreClassifiedWithStatusBodyAndRetryAfter() {
		SpringAiFailures failures = new SpringAiFailures("wrapped", null);
		HttpHeaders headers = new HttpHeaders();
		headers.set("retry-after", "7");
		LlmException limited = failures.classify(new RuntimeException("wrapped",
				HttpClientErrorException.create(HttpStatus.TOO_MANY_REQUESTS, "Too Many Requests", headers,
						"{\"error\":{\"message\":\"Rate limit reached\",\"type\":\"rate_limit_error\"}}"
							.getBytes(StandardCharsets.UTF_8),
						StandardCharsets.UTF_8)));
		assertThat(limited.category()).isEqualTo(ErrorCategory.RATE_LIMIT);
		assertThat(limited.httpStatus()).isEqualTo(429);
		assertThat(limited.retryAfter()).isEqualTo(Duration.ofSeconds(7));
		LlmException window = failures.classify(WebClientResponseException.create(400, "Bad Request", new HttpHeaders(),
				"{\"error\":{\"message\":\"This model's maximum context length is 8192 tokens\",\"code\":\"context_length_exceeded\"}}"
					.getBytes(StandardCharsets.UTF_8),
				StandardCharsets.UTF_8));
		assertThat(window.category()).isEqualTo(ErrorCategory.CONTEXT_WINDOW_EXCEEDED);
		assertThat(window.httpStatus()).isEqualTo(400);
	}

	@Test
	void anythingElseFallsToTheTransportRules() {
		LlmException unknown = new SpringAiFailures("wrapped", null).classify(new IllegalStateException("odd"));
		assertThat(unknown.category()).isEqualTo(ErrorCategory.INVALID_RESPONSE);
	}

}
