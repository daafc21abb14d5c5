package dev.llmfallback.readme;

import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

import dev.llmfallback.ChatRequest;
import dev.llmfallback.ChatService;

/** The README's WebFlux controller, word for word (ReadmeExamplesTests runs it). */
@RestController
class AskController {

	private final ChatService chatService;

	AskController(ChatService chatService) {
		this.chatService = chatService;
	}

	@PostMapping("/ask")
	Mono<Answer> ask(@RequestBody Question question) {
		return this.chatService.chat(ChatRequest.of(question.prompt()))
			.map((response) -> new Answer(response.content(), response.servedBy(), response.fallbacks()));
	}

	record Question(String prompt) {
	}

	record Answer(String text, String servedBy, int fallbacks) {
	}

}
