package dev.llmfallback.sample;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;

import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerCodecConfigurer;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.context.Context;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.module.blackbird.BlackbirdModule;

import dev.llmfallback.Attempt;
import dev.llmfallback.ChatChunk;
import dev.llmfallback.ChatRequest;
import dev.llmfallback.ChatResponse;
import dev.llmfallback.ChatService;
import dev.llmfallback.ErrorCategory;
import dev.llmfallback.LlmException;
import dev.llmfallback.engine.FallbackEngine;
import dev.llmfallback.provider.http.EventLoopRecyclerPool;
import dev.llmfallback.sample.openai.ChatCompletion;
import dev.llmfallback.sample.openai.ChatCompletionChunk;
import dev.llmfallback.sample.openai.ChatCompletionRequest;
import dev.llmfallback.sample.openai.CompletionUsage;
import dev.llmfallback.sample.openai.OpenAiErrorEnvelope;
import dev.llmfallback.web.FallbackErrorResponse;

/**
 * {@code POST /v1/chat/completions} in OpenAI's wire format, so that any OpenAI client can use the
 * app as a gateway: {@code model} names a policy or a configured model. Answers carry
 * {@code x-fallback-served-by} (streamed ones too, from the first chunk) and, when not streamed,
 * {@code x-fallback-attempts} (the number of attempts, skips included). Errors use OpenAI's error
 * envelope: a failure before the first byte here, any other by {@link ChatErrors}.
 * <p>
 * A plain {@code WebHandler} ({@link OpenAiGatewayRoutes} says why) rather than an annotated
 * controller or a handler function: it reads the body as a {@code @RequestBody} would
 * ({@link RequestBodies}), and writes the answer as bytes straight to the exchange's response.
 */
@Component
class OpenAiChatCompletions {

	static final String SERVED_BY = "x-fallback-served-by";

	static final String ATTEMPTS = "x-fallback-attempts";

	/**
	 * The request fields left out for the serving model ({@code drop-unsupported-params}); a stream
	 * knows them only at its end, so it names them in the finishing chunk's {@code x_fallback}.
	 */
	static final String DROPPED_PARAMS = "x-fallback-dropped-params";

	// Its buffers per event loop, as the provider mappings' (the default pool's atomics were 1 % of the CPU);
	// Blackbird reads each answer record's accessors through generated lambdas (see SampleApplication).
	private static final JsonMapper json = JsonMapper.builder(EventLoopRecyclerPool.jsonFactory())
		.addModule(new BlackbirdModule())
		.build();

	private final FallbackEngine engine;

	private final ChatErrors errors;

	private final RequestBodies<ChatCompletionRequest> bodies;

	OpenAiChatCompletions(FallbackEngine engine, ChatErrors errors, ServerCodecConfigurer codecs) {
		this.engine = engine;
		this.errors = errors;
		this.bodies = new RequestBodies<>(codecs, ChatCompletionRequest.class);
	}

	/**
	 * Answers one request: reads and checks its body (a bad one fails before any call, as a 400),
	 * then writes the answer or stream to the exchange's response itself.
	 * @param exchange the exchange
	 * @return completes when the answer is written
	 */
	Mono<Void> handle(ServerWebExchange exchange) {
		return this.bodies.read(exchange)
			.switchIfEmpty(Mono.error(() -> invalid("The request body must be a JSON object")))
			.flatMap((body) -> {
				Call call = parse(body);
				ServerHttpResponse response = exchange.getResponse();
				response.setStatusCode(HttpStatus.OK);
				return call.stream ? stream(call, response) : answer(call, response);
			})
			// Stores the caller's context here. Reactor looks a subscriber's context up by asking each subscriber
			// below it in turn, down through WebFlux's and Security's chains, and the response's writeWith, the
			// upstream client and the engine ask several times per request: 4.3 % of the CPU, 2.8 % with this.
			.contextWrite(Context.empty());
	}

	private Mono<Void> answer(Call call, ServerHttpResponse response) {
		return call.service.chat(call.request).map((answer) -> {
			response.getHeaders().set(SERVED_BY, answer.servedBy());
			response.getHeaders().set(ATTEMPTS, Integer.toString(answer.attempts().size()));
			if (!answer.droppedParams().isEmpty()) {
				response.getHeaders().set(DROPPED_PARAMS, String.join(", ", answer.droppedParams()));
			}
			return json.writeValueAsBytes(completion(answer));
		}).onErrorResume(LlmException.class, (failure) -> Mono.just(failed(failure, response))).flatMap((bytes) -> {
			response.getHeaders().setContentType(MediaType.APPLICATION_JSON);
			return response.writeWith(Mono.just(response.bufferFactory().wrap(bytes)));
		});
	}

	/** Sets the mapped status and headers of a failure that no byte of the answer preceded. */
	private byte[] failed(LlmException failure, ServerHttpResponse response) {
		FallbackErrorResponse answer = this.errors.answer(failure);
		response.setStatusCode(answer.httpStatus());
		answer.writeHeaders(response.getHeaders());
		response.getHeaders().setContentType(MediaType.APPLICATION_JSON);
		return json.writeValueAsBytes(OpenAiErrorEnvelope.of(answer));
	}

	/** A parsed request: which service answers it and whether to stream. */
	private record Call(ChatService service, ChatRequest request, boolean stream, boolean includeUsage) {
	}

	private Call parse(ChatCompletionRequest body) {
		if (body == null) {
			throw invalid("The request body must be a JSON object");
		}
		String model = body.model();
		if (model == null || model.isBlank()) {
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
		if (body.messages() == null || body.messages().isEmpty()) {
			throw invalid("'messages' must be a non-empty array");
		}
		ChatRequest.Builder request = ChatRequest.builder();
		CompletionRequestTranslation.translate(body, request);
		request.temperature(finite(body.temperature(), "temperature"));
		request.topP(finite(body.topP(), "top_p"));
		request.maxTokens((body.maxCompletionTokens() != null) ? body.maxCompletionTokens() : body.maxTokens());
		JsonNode stop = body.stop();
		if (stop == null || stop.isNull()) {
			// none
		}
		else if (stop.isString()) {
			request.stop(stop.asString());
		}
		else if (stop.isArray() && stop.valueStream().allMatch(JsonNode::isString)) {
			stop.valueStream().forEach((value) -> request.stop(value.asString()));
		}
		else {
			throw invalid("'stop' must be a string or an array of strings");
		}
		if (body.user() != null) {
			request.endUser(body.user());
		}
		boolean stream = Boolean.TRUE.equals(body.stream());
		boolean includeUsage = body.streamOptions() != null && Boolean.TRUE.equals(body.streamOptions().includeUsage());
		return new Call(service, request.build(), stream, includeUsage);
	}

	private static @Nullable Double finite(@Nullable Double value, String name) {
		if (value != null && !Double.isFinite(value)) {
			throw invalid("'" + name + "' must be a finite number");
		}
		return value;
	}

	private static LlmException invalid(String message) {
		return ChatErrors.badRequest(message);
	}

	private static ChatCompletion completion(ChatResponse answer) {
		boolean calls = !answer.toolCalls().isEmpty();
		String content = (calls && answer.content().isEmpty()) ? null : answer.content();
		ChatCompletion.Choice choice = new ChatCompletion.Choice(0,
				new ChatCompletion.Message("assistant", content, calls ? ChatCompletion.ToolCall.of(answer.toolCalls()) : null),
				(answer.finishReason() != null) ? answer.finishReason() : calls ? "tool_calls" : "stop");
		return new ChatCompletion(completionId(), ChatCompletion.OBJECT, Instant.now().getEpochSecond(),
				answer.servedBy(), List.of(choice), CompletionUsage.of(answer.usage()));
	}

	private Mono<Void> stream(Call call, ServerHttpResponse response) {
		String id = completionId();
		long created = Instant.now().getEpochSecond();
		AtomicBoolean started = new AtomicBoolean();
		AtomicBoolean roleSent = new AtomicBoolean();
		// One chunk at a time into its events: no inner publisher per chunk, no queue beyond one slot.
		Flux<byte[]> events = call.service.stream(call.request).concatMapIterable((chunk) -> {
			if (!started.get()) {
				// Headers go out with the first byte: the model serving the stream is known by now.
				started.set(true);
				response.getHeaders().setContentType(MediaType.TEXT_EVENT_STREAM);
				response.getHeaders().set(SERVED_BY, chunk.servedBy());
			}
			return events(id, created, chunk, call.includeUsage, roleSent);
		}, 1).concatWithValues(DONE)
			.onErrorResume(LlmException.class, (failure) -> {
				if (started.get()) {
					// Too late for a status: the stream ends with an error event in OpenAI's envelope.
					return Flux.just(sse(OpenAiErrorEnvelope.of(this.errors.answer(failure))));
				}
				return Flux.just(failed(failure, response));
			});
		// Reactor Netty flushes whenever no further event is ready, so each event leaves as it comes, without
		// the flush group per event (and the extra queue per stream) that writeAndFlushWith costs.
		return response.writeWith(events.map((event) -> response.bufferFactory().wrap(event)));
	}

	private static final byte[] DONE = "data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8);

	private static List<byte[]> events(String id, long created, ChatChunk chunk, boolean includeUsage,
			AtomicBoolean roleSent) {
		List<byte[]> events = new ArrayList<>(2);
		// The first delta says who speaks, as OpenAI's streams do and the official SDKs expect.
		String role = roleSent.compareAndSet(false, true) ? "assistant" : null;
		if (!chunk.delta().isEmpty() || !chunk.toolCallDeltas().isEmpty() || role != null) {
			List<ChatCompletionChunk.ToolCallDelta> calls = chunk.toolCallDeltas().isEmpty() ? null
					: chunk.toolCallDeltas().stream().map(ChatCompletionChunk.ToolCallDelta::of).toList();
			String text = (chunk.delta().isEmpty() && (calls != null || chunk.last())) ? null : chunk.delta();
			events.add(sse(new ChatCompletionChunk(id, ChatCompletionChunk.OBJECT, created, chunk.servedBy(),
					List.of(new ChatCompletionChunk.Choice(0, new ChatCompletionChunk.Delta(role, text, calls), null)),
					null, null)));
		}
		if (chunk.last()) {
			// last() means the chunk carries the attempts.
			List<Attempt> attempts = Objects.requireNonNull(chunk.attempts());
			String finishReason = (chunk.finishReason() != null) ? chunk.finishReason()
					: chunk.toolCalls().isEmpty() ? "stop" : "tool_calls";
			events.add(sse(new ChatCompletionChunk(id, ChatCompletionChunk.OBJECT, created, chunk.servedBy(),
					List.of(new ChatCompletionChunk.Choice(0, new ChatCompletionChunk.Delta(null, null, null), finishReason)),
					null, new ChatCompletionChunk.Fallback(chunk.servedBy(), attempts,
							chunk.droppedParams().isEmpty() ? null : chunk.droppedParams()))));
			if (includeUsage && chunk.usage() != null) {
				events.add(sse(new ChatCompletionChunk(id, ChatCompletionChunk.OBJECT, created, chunk.servedBy(), List.of(),
						CompletionUsage.of(chunk.usage()), null)));
			}
		}
		return events;
	}

	/** One Server-Sent Event, serialized once. */
	private static byte[] sse(Object data) {
		byte[] json = OpenAiChatCompletions.json.writeValueAsBytes(data);
		byte[] event = new byte[json.length + 8];
		System.arraycopy(DATA, 0, event, 0, 6);
		System.arraycopy(json, 0, event, 6, json.length);
		event[event.length - 2] = '\n';
		event[event.length - 1] = '\n';
		return event;
	}

	private static final byte[] DATA = "data: ".getBytes(StandardCharsets.UTF_8);

	/**
	 * An id in OpenAI's {@code chatcmpl-} form: 64 random bits from the thread's own generator, not a
	 * {@code UUID.randomUUID()}, whose SecureRandom showed up in the gateway's profile.
	 */
	private static String completionId() {
		return "chatcmpl-" + Long.toHexString(ThreadLocalRandom.current().nextLong() | Long.MIN_VALUE);
	}

}
