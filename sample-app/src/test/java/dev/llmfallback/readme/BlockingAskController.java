package dev.llmfallback.readme;

import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import dev.llmfallback.ChatService;

/** The README's blocking (Spring MVC) controller, word for word (ReadmeExamplesTests runs it). */
@RestController
class BlockingAskController {

	private final ChatService chatService;

	BlockingAskController(ChatService chatService) {
		this.chatService = chatService;
	}

	@PostMapping("/ask")
	String ask(@RequestBody String prompt) {
		return this.chatService.call(prompt); // blocks this servlet thread; never call it on a Reactor thread
	}

}
