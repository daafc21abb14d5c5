package dev.llmfallback.sample;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;

import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

import dev.llmfallback.ChatChunk;
import dev.llmfallback.ChatMessage;
import dev.llmfallback.ChatRequest;
import dev.llmfallback.ChatResponse;
import dev.llmfallback.ChatService;
import dev.llmfallback.ErrorCategory;
import dev.llmfallback.LlmException;
import dev.llmfallback.Role;
import dev.llmfallback.Usage;
import dev.llmfallback.engine.FallbackEngine;

/**
 * The OpenAI chat completions wire format, so that any OpenAI client can use the app as a gateway:
 * {@code model} names a policy or a configured model. Answers carry {@code x-fallback-served-by}
 * (streamed ones too, from the first chunk) and, when not streamed, {@code x-fallback-attempts}
 * (the number of attempts, skips included). Errors use OpenAI's error envelope, written by
 * {@link ChatErrors}.
 */
@RestController
class OpenAiGatewayController {

	static final String SERVED_BY = "x-fallback-served-by";

	static final String ATTEMPTS = "x-fallback-attempts";

	private static final JsonMapper json = JsonMapper.builder().build();

	private final FallbackEngine engine;

	OpenAiGatewayController(FallbackEngine engine) {
		this.engine = engine;
	}

	@GetMapping("/v1/models")
	Map<String, Object> models() {
		List<Map<String, Object>> data = new ArrayList<>();
		this.engine.policies().keySet().forEach((name) -> data.add(model(name, "llm-fallback policy")));
		this.engine.models().forEach((name, model) -> data.add(model(name, model.provider())));
		return Map.of("object", "list", "data", data);
	}

	private static Map<String, Object> model(String id, String ownedBy) {
		return Map.of("id", id, "object", "model", "created", 0, "owned_by", ownedBy);
	}

	@PostMapping(path = "/v1/chat/completions")
	Mono<Void> completions(@RequestBody Map<String, Object> body, ServerHttpResponse response) {
		Call call = parse(body);
		return call.stream ? stream(call, response) : answer(call, response);
	}

	private Mono<Void> answer(Call call, ServerHttpResponse response) {
		return call.service.chat(call.request).map((answer) -> {
			response.getHeaders().set(SERVED_BY, answer.servedBy());
			response.getHeaders().set(ATTEMPTS, Integer.toString(answer.attempts().size()));
			return json.writeValueAsString(completion(answer));
		}).onErrorResume(LlmException.class, (failure) -> {
			response.setStatusCode(ChatErrors.openAiStatus(failure));
			return Mono.just(json.writeValueAsString(ChatErrors.openAiError(failure)));
		}).flatMap((text) -> {
			response.getHeaders().setContentType(MediaType.APPLICATION_JSON);
			return response.writeWith(Mono.just(response.bufferFactory().wrap(text.getBytes(StandardCharsets.UTF_8))));
		});
	}

	/** A parsed request: which service answers it and whether to stream. */
	private record Call(ChatService service, ChatRequest request, boolean stream, boolean includeUsage) {
	}

	@SuppressWarnings("unchecked")
	private Call parse(Map<String, Object> body) {
		if (!(body.get("model") instanceof String model) || model.isBlank()) {
			throw invalid("you must provide a model parameter");
		}
		ChatService service;
		if (this.engine.policies().containsKey(model)) {
			service = this.engine.chatService(model);
		}
		else if (this.engine.models().containsKey(model)) {
			service = this.engine.modelService(model);
		}
		else {
			throw LlmException.builder(ErrorCategory.NOT_FOUND)
				.message("The model '" + model + "' does not exist; use a policy or a configured model (GET /v1/models)")
				.build();
		}
		if (!(body.get("messages") instanceof List<?> messages) || messages.isEmpty()) {
			throw invalid("'messages' must be a non-empty array");
		}
		ChatRequest.Builder request = ChatRequest.builder();
		for (Object item : messages) {
			if (!(item instanceof Map<?, ?> message) || !(message.get("role") instanceof String role)) {
				throw invalid("each message needs a 'role' and 'content'");
			}
			request.message(new ChatMessage(role(role), text(message.get("content"))));
		}
		request.temperature(number(body, "temperature"));
		request.topP(number(body, "top_p"));
		Integer maxTokens = integer(body, "max_completion_tokens");
		request.maxTokens((maxTokens != null) ? maxTokens : integer(body, "max_tokens"));
		Object stop = body.get("stop");
		if (stop instanceof String text) {
			request.stop(text);
		}
		else if (stop instanceof List<?> list && list.stream().allMatch(String.class::isInstance)) {
			list.forEach((value) -> request.stop((String) value));
		}
		else if (stop != null) {
			throw invalid("'stop' must be a string or an array of strings");
		}
		Object user = body.get("user");
		if (user instanceof String text) {
			request.endUser(text);
		}
		else if (user != null) {
			throw invalid("'user' must be a string");
		}
		boolean stream = Boolean.TRUE.equals(flag(body, "stream"));
		Object options = body.get("stream_options");
		if (options != null && !(options instanceof Map<?, ?>)) {
			throw invalid("'stream_options' must be an object");
		}
		boolean includeUsage = options != null
				&& Boolean.TRUE.equals(flag((Map<String, Object>) options, "include_usage"));
		return new Call(service, request.build(), stream, includeUsage);
	}

	private static Role role(String role) {
		if (role.equals("developer")) {
			return Role.SYSTEM;
		}
		try {
			return Role.fromId(role);
		}
		catch (IllegalArgumentException ex) {
			throw invalid("unknown message role '" + role + "'");
		}
	}

	/** Content is a string, or an array of parts of which the text parts are kept. */
	private static String text(Object content) {
		if (content == null || content instanceof String) {
			return (String) content;
		}
		if (content instanceof List<?> parts) {
			StringBuilder text = new StringBuilder();
			for (Object part : parts) {
				if (part instanceof Map<?, ?> map && "text".equals(map.get("type")) && map.get("text") instanceof String value) {
					text.append(value);
				}
			}
			return text.toString();
		}
		throw invalid("message content must be a string or an array of content parts");
	}

	private static Double number(Map<String, Object> body, String name) {
		Object value = body.get(name);
		if (value == null) {
			return null;
		}
		if (value instanceof Number number && Double.isFinite(number.doubleValue())) {
			return number.doubleValue();
		}
		throw invalid("'" + name + "' must be a finite number");
	}

	private static Integer integer(Map<String, Object> body, String name) {
		Object value = body.get(name);
		if (value == null) {
			return null;
		}
		if ((value instanceof Integer || value instanceof Long || value instanceof java.math.BigInteger)
				&& ((Number) value).longValue() == ((Number) value).intValue()
				&& !(value instanceof java.math.BigInteger big && big.bitLength() > 31)) {
			return ((Number) value).intValue();
		}
		throw invalid("'" + name + "' must be an integer (at most " + Integer.MAX_VALUE + ")");
	}

	private static Boolean flag(Map<String, Object> body, String name) {
		Object value = body.get(name);
		if (value == null || value instanceof Boolean) {
			return (Boolean) value;
		}
		throw invalid("'" + name + "' must be true or false");
	}

	private static LlmException invalid(String message) {
		return ChatErrors.badRequest(message);
	}

	private static Map<String, Object> completion(ChatResponse answer) {
		Map<String, Object> message = new LinkedHashMap<>();
		message.put("role", "assistant");
		message.put("content", answer.content());
		Map<String, Object> choice = new LinkedHashMap<>();
		choice.put("index", 0);
		choice.put("message", message);
		choice.put("finish_reason", (answer.finishReason() != null) ? answer.finishReason() : "stop");
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("id", completionId());
		body.put("object", "chat.completion");
		body.put("created", Instant.now().getEpochSecond());
		body.put("model", answer.servedBy());
		body.put("choices", List.of(choice));
		if (answer.usage() != null) {
			body.put("usage", usage(answer.usage()));
		}
		return body;
	}

	private static Map<String, Object> usage(Usage usage) {
		return Map.of("prompt_tokens", usage.inputTokens(), "completion_tokens", usage.outputTokens(), "total_tokens",
				usage.totalTokens());
	}

	private Mono<Void> stream(Call call, ServerHttpResponse response) {
		String id = completionId();
		long created = Instant.now().getEpochSecond();
		AtomicBoolean started = new AtomicBoolean();
		Flux<String> events = call.service.stream(call.request).switchOnFirst((first, chunks) -> {
			if (first.hasValue()) {
				// Headers go out with the first byte: the model serving the stream is known by now.
				started.set(true);
				response.getHeaders().setContentType(MediaType.TEXT_EVENT_STREAM);
				response.getHeaders().set(SERVED_BY, first.get().servedBy());
			}
			return chunks;
		}).concatMap((chunk) -> Flux.fromIterable(events(id, created, chunk, call.includeUsage))).concatWithValues("data: [DONE]\n\n")
			.onErrorResume(LlmException.class, (failure) -> {
				if (started.get()) {
					return Flux.just(sse(ChatErrors.openAiError(failure)));
				}
				response.setStatusCode(ChatErrors.openAiStatus(failure));
				response.getHeaders().setContentType(MediaType.APPLICATION_JSON);
				return Flux.just(json.writeValueAsString(ChatErrors.openAiError(failure)));
			});
		return response.writeAndFlushWith(events
			.map((event) -> Mono.just(response.bufferFactory().wrap(event.getBytes(StandardCharsets.UTF_8)))));
	}

	private static List<String> events(String id, long created, ChatChunk chunk, boolean includeUsage) {
		List<String> events = new ArrayList<>(2);
		if (!chunk.delta().isEmpty()) {
			events.add(sse(chunk(id, created, chunk.servedBy(), Map.of("content", chunk.delta()), null)));
		}
		if (chunk.last()) {
			Map<String, Object> last = chunk(id, created, chunk.servedBy(), Map.of(),
					(chunk.finishReason() != null) ? chunk.finishReason() : "stop");
			last.put("x_fallback", Map.of("served_by", chunk.servedBy(), "attempts", chunk.attempts()));
			events.add(sse(last));
			if (includeUsage && chunk.usage() != null) {
				Map<String, Object> usage = chunk(id, created, chunk.servedBy(), null, null);
				usage.put("choices", List.of());
				usage.put("usage", usage(chunk.usage()));
				events.add(sse(usage));
			}
		}
		return events;
	}

	private static Map<String, Object> chunk(String id, long created, String model, Map<String, Object> delta,
			String finishReason) {
		Map<String, Object> chunk = new LinkedHashMap<>();
		chunk.put("id", id);
		chunk.put("object", "chat.completion.chunk");
		chunk.put("created", created);
		chunk.put("model", model);
		if (delta != null) {
			Map<String, Object> choice = new LinkedHashMap<>();
			choice.put("index", 0);
			choice.put("delta", delta);
			choice.put("finish_reason", finishReason);
			chunk.put("choices", List.of(choice));
		}
		return chunk;
	}

	private static String sse(Object data) {
		return "data: " + json.writeValueAsString(data) + "\n\n";
	}

	/**
	 * An id in OpenAI's {@code chatcmpl-} form: 64 random bits from the thread's own generator, not a
	 * {@code UUID.randomUUID()}, whose SecureRandom showed up in the gateway's profile.
	 */
	private static String completionId() {
		return "chatcmpl-" + Long.toHexString(ThreadLocalRandom.current().nextLong() | Long.MIN_VALUE);
	}

}
