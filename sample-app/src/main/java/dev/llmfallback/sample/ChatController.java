package dev.llmfallback.sample;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import org.jspecify.annotations.Nullable;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import dev.llmfallback.ChatChunk;
import dev.llmfallback.ChatMessage;
import dev.llmfallback.ChatRequest;
import dev.llmfallback.ChatResponse;
import dev.llmfallback.ChatService;
import dev.llmfallback.LlmException;
import dev.llmfallback.engine.FallbackEngine;

/**
 * {@code POST /chat}: a prompt or messages in, the answer with every attempt out.
 * {@code POST /chat/stream}: the same as Server-Sent Events ({@code chunk}, then {@code done} or
 * {@code error}). Failures are RFC 9457 problem details with {@code category} and {@code attempts},
 * written by {@link ChatErrors}.
 */
@RestController
class ChatController {

	private final ChatService chat;

	private final FallbackEngine engine;

	private final ChatErrors errors;

	ChatController(ChatService chat, FallbackEngine engine, ChatErrors errors) {
		this.chat = chat;
		this.engine = engine;
		this.errors = errors;
	}

	/**
	 * The body of {@code POST /chat}: {@code prompt} (one user message) or {@code messages}, and
	 * optionally the {@code policy}, {@code temperature}, {@code maxTokens} and {@code topP}.
	 */
	record ChatBody(@Nullable String prompt, @Nullable List<ChatMessage> messages, @Nullable String policy,
			@Nullable Double temperature, @Nullable Integer maxTokens, @Nullable Double topP) {

	}

	/** Checked before any call, so that a bad request is a 400 rather than an error event. */
	private ChatRequest toRequest(ChatBody body) {
		if (body == null) {
			throw ChatErrors.badRequest("The body must be a JSON object with a prompt or messages");
		}
		if (body.policy() != null && !this.engine.policies().containsKey(body.policy())) {
			throw ChatErrors.badRequest("Unknown policy '" + body.policy() + "'; configured policies: "
					+ String.join(", ", this.engine.policies().keySet()));
		}
		ChatRequest.Builder builder = ChatRequest.builder()
			.policy(body.policy())
			.temperature(body.temperature())
			.maxTokens(body.maxTokens())
			.topP(body.topP());
		if (body.messages() != null) {
			builder.messages(body.messages());
		}
		if (body.prompt() != null && !body.prompt().isBlank()) {
			builder.user(body.prompt());
		}
		return builder.build();
	}

	@PostMapping(path = "/chat", produces = MediaType.APPLICATION_JSON_VALUE)
	Mono<ChatResponse> chat(@RequestBody ChatBody body) {
		return this.chat.chat(toRequest(body));
	}

	/**
	 * A failure before the first event is answered like one of {@code /chat}: the mapped status and
	 * headers, a problem detail (written by {@link ChatErrors}). After it, the stream ends with an
	 * {@code error} event carrying the problem detail.
	 */
	@PostMapping(path = "/chat/stream", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
	Flux<ServerSentEvent<Object>> stream(@RequestBody ChatBody body) {
		AtomicBoolean started = new AtomicBoolean();
		return this.chat.stream(toRequest(body))
			.concatMap(ChatController::events)
			.doOnNext((event) -> started.set(true))
			.onErrorResume(LlmException.class, (failure) -> started.get() ? Flux.just(ServerSentEvent
				.builder((Object) this.errors.answer(failure).problemDetail())
				.event("error")
				.build()) : Flux.error(failure));
	}

	private static Flux<ServerSentEvent<Object>> events(ChatChunk chunk) {
		Flux<ServerSentEvent<Object>> delta = chunk.delta().isEmpty() ? Flux.empty()
				: Flux.just(ServerSentEvent.builder((Object) Map.of("delta", chunk.delta())).event("chunk").build());
		if (!chunk.last()) {
			return delta;
		}
		Map<String, Object> done = new LinkedHashMap<>();
		done.put("servedBy", chunk.servedBy());
		done.put("provider", chunk.provider());
		done.put("providerModel", chunk.providerModel());
		done.put("finishReason", chunk.finishReason());
		done.put("usage", chunk.usage());
		done.put("fallbacks", chunk.fallbacks());
		done.put("attempts", chunk.attempts());
		return delta.concatWithValues(ServerSentEvent.builder((Object) done).event("done").build());
	}

}
