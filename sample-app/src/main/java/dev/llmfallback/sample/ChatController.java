package dev.llmfallback.sample;

import java.net.URI;
import java.util.List;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

import dev.llmfallback.ChatMessage;
import dev.llmfallback.ChatRequest;
import dev.llmfallback.ChatResponse;
import dev.llmfallback.ChatService;
import dev.llmfallback.ErrorCategory;
import dev.llmfallback.FallbackExhaustedException;
import dev.llmfallback.LlmException;

/** {@code POST /chat}: a prompt or messages in, the answer with every attempt out. */
@RestController
class ChatController {

	private final ChatService chat;

	ChatController(ChatService chat) {
		this.chat = chat;
	}

	/**
	 * The body of {@code POST /chat}.
	 * @param prompt a single user message, or
	 * @param messages the conversation
	 * @param policy the policy to use, or none for the default
	 */
	record ChatBody(String prompt, List<ChatMessage> messages, String policy) {

		ChatRequest toRequest() {
			ChatRequest.Builder builder = ChatRequest.builder().policy(this.policy);
			if (this.messages != null) {
				builder.messages(this.messages);
			}
			if (this.prompt != null) {
				builder.user(this.prompt);
			}
			return builder.build();
		}

	}

	@PostMapping("/chat")
	Mono<ChatResponse> chat(@RequestBody ChatBody body) {
		return Mono.fromSupplier(body::toRequest).flatMap(this.chat::chat);
	}

	@ExceptionHandler(LlmException.class)
	ProblemDetail failed(LlmException ex) {
		HttpStatus status = (ex.category() == ErrorCategory.BAD_REQUEST) ? HttpStatus.BAD_REQUEST
				: (ex instanceof FallbackExhaustedException exhausted && exhausted.deadlineExceeded())
						? HttpStatus.GATEWAY_TIMEOUT : HttpStatus.SERVICE_UNAVAILABLE;
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, ex.getMessage());
		problem.setType(URI.create("https://llmfallback.dev/problems/" + ex.category().id()));
		problem.setProperty("category", ex.category().id());
		problem.setProperty("attempts", ex.attempts());
		return problem;
	}

}
