package dev.llmfallback.sample.springai;

import java.util.List;
import java.util.Objects;

import org.jspecify.annotations.Nullable;
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.tool.annotation.Tool;
import org.springframework.context.annotation.Profile;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import dev.llmfallback.Attempt;
import dev.llmfallback.springai.ChatResponseMapping;

/**
 * {@code POST /chat/spring-ai} (profile {@code spring-ai}): Spring AI's {@link ChatClient} over the
 * fallback chain, the starter's auto-configured {@code FallbackChatModel}. The model may call the
 * {@code localTime} tool; Spring AI runs it and sends its result back, each turn one walk of the
 * chain. The answer carries the model that served the last turn and that turn's attempts.
 */
@RestController
@Profile("spring-ai")
class SpringAiChatController {

	private final ChatClient chat;

	SpringAiChatController(ChatModel model) {
		this.chat = ChatClient.builder(model).defaultSystem("Answer in one sentence.").build();
	}

	record Question(String prompt) {

	}

	record Answer(@Nullable String answer, @Nullable String servedBy, @Nullable List<Attempt> attempts) {

	}

	@PostMapping("/chat/spring-ai")
	Mono<Answer> chat(@RequestBody Question question) {
		// ChatClient.call() blocks: run it where blocking is allowed, never on the event loop.
		return Mono.fromCallable(() -> {
			// The chain's model answers every call with one generation (the starter's ChatResponseMapping).
			ChatResponse response = Objects
				.requireNonNull(this.chat.prompt().user(question.prompt()).tools(new Clock()).call().chatResponse());
			return new Answer(Objects.requireNonNull(response.getResult()).getOutput().getText(),
					response.getMetadata().get(ChatResponseMapping.SERVED_BY),
					response.getMetadata().get(ChatResponseMapping.ATTEMPTS));
		}).subscribeOn(Schedulers.boundedElastic());
	}

	/** A tool the application runs; the model only asks for it. */
	static final class Clock {

		@Tool(description = "The local time in a city")
		String localTime(String city) {
			return "It is 12:00 in " + city;
		}

	}

}
