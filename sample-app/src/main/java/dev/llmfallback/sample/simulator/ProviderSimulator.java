package dev.llmfallback.sample.simulator;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.netty.channel.ChannelOption;
import io.netty.handler.codec.http.HttpResponseStatus;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Simulated LLM providers on a local port, speaking the real wire formats so that the real
 * adapters talk to them: OpenAI's {@code POST /{name}/v1/chat/completions} and Anthropic's
 * {@code POST /{name}/v1/messages}, plain JSON and Server-Sent Events, and OpenAI's
 * {@code POST /{name}/v1/embeddings} (deterministic unit vectors per model and input). Each named provider fails the
 * way real ones do, in the proportions of its {@link SimulatedBehaviour}.
 *
 * <p>Over 300 lines: one local server with its two wire formats and their fault modes side by side,
 * so that a fault is written once for both; the rich-chat issue splits it per wire format.
 */
public final class ProviderSimulator implements AutoCloseable {

	private static final JsonMapper json = JsonMapper.builder().build();

	private final Map<String, SimulatedBehaviour> behaviours;

	private final Map<String, AtomicLong> requests = new ConcurrentHashMap<>();

	/** Calls per caller, keyed by the request's {@code user} (OpenAI) or {@code metadata.user_id} (Anthropic). */
	private final Map<String, AtomicInteger> callsByUser = new ConcurrentHashMap<>();

	private final AtomicInteger openConnections = new AtomicInteger();

	private final AtomicInteger stalledCalls = new AtomicInteger();

	private final AtomicLong ids = new AtomicLong();

	private final DisposableServer server;

	private ProviderSimulator(Map<String, SimulatedBehaviour> behaviours) {
		this.behaviours = new ConcurrentHashMap<>(behaviours);
		this.server = HttpServer.create()
			.host("127.0.0.1")
			.port(0)
			// Counted once per TCP connection: doOnConnection runs once per request of a kept-alive one.
			.doOnChannelInit((observer, channel, address) -> {
				this.openConnections.incrementAndGet();
				channel.closeFuture().addListener((closed) -> this.openConnections.decrementAndGet());
			})
			.route((routes) -> routes.post("/{name}/v1/chat/completions", (request, response) -> handle(request, response, false))
				.post("/{name}/v1/messages", (request, response) -> handle(request, response, true))
				.post("/{name}/v1/embeddings", (request, response) -> handle(request, response, false))
				// Gemini's embeddings, models/{model}:batchEmbedContents (errors in OpenAI's envelope,
				// which the Gemini adapter classifies by status like any other).
				.post("/{name}/v1beta/models/{action}", (request, response) -> handle(request, response, false)))
			.bindNow();
	}

	/**
	 * Starts the simulator on a free loopback port.
	 * @param behaviours each simulated provider's behaviour, by the name in its URL path
	 * @return the running simulator
	 */
	public static ProviderSimulator start(Map<String, SimulatedBehaviour> behaviours) {
		return new ProviderSimulator(behaviours);
	}

	/** @return {@code http://127.0.0.1:PORT}; a provider's base URL adds {@code /NAME} (and {@code /v1} for OpenAI) */
	public String baseUrl() {
		return "http://127.0.0.1:" + this.server.port();
	}

	/** @return how many requests the named provider received */
	public long requests(String name) {
		AtomicLong count = this.requests.get(name);
		return (count != null) ? count.get() : 0;
	}

	/**
	 * Changes how a simulated provider behaves from now on.
	 * @param name the provider's name in its URL path
	 * @param behaviour the new behaviour
	 */
	public void behave(String name, SimulatedBehaviour behaviour) {
		this.behaviours.put(name, behaviour);
	}

	/** @return the most calls any one caller (by its {@code user} field) made, 0 when none named itself */
	public int maxCallsPerUser() {
		return this.callsByUser.values().stream().mapToInt(AtomicInteger::get).max().orElse(0);
	}

	/** @return how many distinct callers named themselves */
	public int users() {
		return this.callsByUser.size();
	}

	/** @return connections open to the simulator now */
	public int openConnections() {
		return this.openConnections.get();
	}

	/** @return calls accepted and never answered that are still held open */
	public int stalledCalls() {
		return this.stalledCalls.get();
	}

	@Override
	public void close() {
		this.server.disposeNow(Duration.ofSeconds(5));
	}

	private Publisher<Void> handle(HttpServerRequest request, HttpServerResponse response, boolean anthropic) {
		String name = request.param("name");
		SimulatedBehaviour behaviour = this.behaviours.get(name);
		if (behaviour == null) {
			return response.status(HttpResponseStatus.NOT_FOUND).sendString(Mono.just("no simulated provider " + name));
		}
		this.requests.computeIfAbsent(name, (key) -> new AtomicLong()).incrementAndGet();
		return request.receive().aggregate().asString().defaultIfEmpty("{}").flatMap((body) -> {
			JsonNode call = json.readTree(body);
			String user = anthropic ? call.path("metadata").path("user_id").asString(null)
					: call.path("user").asString(null);
			if (user != null) {
				this.callsByUser.computeIfAbsent(user, (key) -> new AtomicInteger()).incrementAndGet();
			}
			Reply reply = decide(behaviour, call, anthropic);
			if (reply.fault == Fault.STALL) {
				this.stalledCalls.incrementAndGet();
				return Mono.<Void>never().doFinally((signal) -> this.stalledCalls.decrementAndGet());
			}
			if (reply.fault == Fault.RESET) {
				return Mono.<Void>fromRunnable(() -> response.withConnection((connection) -> {
					// SO_LINGER 0 makes close() send a TCP reset instead of a clean FIN.
					connection.channel().config().setOption(ChannelOption.SO_LINGER, 0);
					connection.channel().close();
				}));
			}
			Mono<Void> wait = Mono.delay(reply.delay).then();
			if (reply.error != null) {
				return wait.then(sendError(response, reply, anthropic));
			}
			String path = request.fullPath();
			if (path.endsWith(":batchEmbedContents")) {
				String model = path.substring(path.lastIndexOf('/') + 1, path.lastIndexOf(':'));
				return wait.then(Mono.from(response.header("content-type", "application/json")
					.sendString(Mono.just(SimulatedEmbeddings.geminiAnswer(model, call)))));
			}
			if (path.endsWith("/embeddings")) {
				return wait.then(Mono.from(response.header("content-type", "application/json")
					.sendString(Mono.just(SimulatedEmbeddings.answer(call)))));
			}
			return wait.then(Mono.from(sendAnswer(response, behaviour, call, reply, anthropic)));
		});
	}

	private enum Fault {

		NONE, STALL, RESET, TRUNCATE, MID_STREAM_ERROR

	}

	/** What to do with one call: an error (status, body, Retry-After), a fault, or an answer after a delay. */
	private record Reply(Duration delay, @Nullable Integer status, @Nullable ObjectNode error,
			@Nullable Duration retryAfter, int promptTokens, Fault fault) {

		Reply(Duration delay, Integer status, ObjectNode error, @Nullable Duration retryAfter, int promptTokens) {
			this(delay, status, error, retryAfter, promptTokens, Fault.NONE);
		}

		Reply(Duration delay, int promptTokens, Fault fault) {
			this(delay, null, null, null, promptTokens, fault);
		}

	}

	private Reply decide(SimulatedBehaviour behaviour, JsonNode call, boolean anthropic) {
		String model = call.path("model").asString("simulated");
		int promptTokens = promptTokens(call);
		if (promptTokens > behaviour.contextWindow()) {
			String message = anthropic
					? "prompt is too long: " + promptTokens + " tokens > " + behaviour.contextWindow() + " maximum"
					: "This model's maximum context length is " + behaviour.contextWindow()
							+ " tokens. However, your messages resulted in " + promptTokens
							+ " tokens. Please reduce the length of the messages.";
			return new Reply(behaviour.latency(), 400,
					anthropic ? anthropicError("invalid_request_error", message)
							: openAiError(message, "invalid_request_error", "messages", "context_length_exceeded"),
					null, promptTokens);
		}
		double roll = ThreadLocalRandom.current().nextDouble();
		if (roll < behaviour.rateLimited()) {
			long seconds = Math.max(1, behaviour.retryAfter().toSeconds());
			boolean withRetryAfter = ThreadLocalRandom.current().nextDouble() < behaviour.retryAfterChance();
			return new Reply(behaviour.latency(), 429,
					anthropic
							? anthropicError("rate_limit_error",
									"Number of request tokens has exceeded your per-minute rate limit")
							: openAiError("Rate limit reached for " + model
									+ " in organization org-simulated on requests per min (RPM): Limit 60, Used 60, "
									+ "Requested 1. Please try again in " + seconds + "s.", "requests", null,
									"rate_limit_exceeded"),
					withRetryAfter ? behaviour.retryAfter() : null, promptTokens);
		}
		roll -= behaviour.rateLimited();
		if (roll < behaviour.overloaded()) {
			return anthropic
					? new Reply(behaviour.latency(), 529, anthropicError("overloaded_error", "Overloaded"), null,
							promptTokens)
					: new Reply(behaviour.latency(), 503,
							openAiError("The server is overloaded or not ready yet.", "server_error", null, null), null,
							promptTokens);
		}
		roll -= behaviour.overloaded();
		if (roll < behaviour.stalled()) {
			return new Reply(Duration.ZERO, promptTokens, Fault.STALL);
		}
		roll -= behaviour.stalled();
		if (roll < behaviour.reset()) {
			return new Reply(Duration.ZERO, promptTokens, Fault.RESET);
		}
		roll -= behaviour.reset();
		Duration delay = (roll < behaviour.slow()) ? behaviour.slowDelay() : behaviour.latency();
		double streamRoll = ThreadLocalRandom.current().nextDouble();
		Fault fault = (streamRoll < behaviour.truncated()) ? Fault.TRUNCATE
				: (streamRoll < behaviour.truncated() + behaviour.midStreamError()) ? Fault.MID_STREAM_ERROR : Fault.NONE;
		return new Reply(delay, promptTokens, fault);
	}

	private static int promptTokens(JsonNode call) {
		int characters = call.path("system").asString("").length();
		for (JsonNode message : call.path("messages")) {
			JsonNode content = message.path("content");
			if (content.isString()) {
				characters += content.asString().length();
			}
			else {
				// Text parts count; an image counts as a few hundred tokens, however large its data.
				for (JsonNode part : content) {
					characters += part.has("text") ? part.path("text").asString("").length()
							: part.path("content").isString() ? part.path("content").asString().length() : 1000;
				}
			}
		}
		return characters / 4 + 1;
	}

	private static ObjectNode openAiError(String message, String type, @Nullable String param, @Nullable String code) {
		ObjectNode error = json.createObjectNode();
		error.putObject("error").put("message", message).put("type", type).put("param", param).put("code", code);
		return error;
	}

	private static ObjectNode anthropicError(String type, String message) {
		ObjectNode error = json.createObjectNode().put("type", "error");
		error.putObject("error").put("type", type).put("message", message);
		return error;
	}

	private static Mono<Void> sendError(HttpServerResponse response, Reply reply, boolean anthropic) {
		// Called for a reply with an error only, which the error constructor gives a status too.
		response.status(Objects.requireNonNull(reply.status)).header("content-type", "application/json");
		if (reply.retryAfter != null) {
			response.header("retry-after", Long.toString(Math.max(1, reply.retryAfter.toSeconds())));
		}
		if (anthropic) {
			response.header("request-id", "req_simulated");
		}
		return Mono.from(response.sendString(Mono.just(Objects.requireNonNull(reply.error).toString())));
	}

	private Publisher<Void> sendAnswer(HttpServerResponse response, SimulatedBehaviour behaviour, JsonNode call,
			Reply reply, boolean anthropic) {
		String model = call.path("model").asString("simulated");
		String id = (anthropic ? "msg_sim_" : "chatcmpl-sim-") + this.ids.incrementAndGet();
		boolean stream = call.path("stream").asBoolean(false);
		SimulatedAnswers.Call toolCall = SimulatedAnswers.toolCall(call, anthropic);
		if (toolCall != null) {
			String callId = (anthropic ? "toolu_sim_" : "call_sim_") + this.ids.incrementAndGet();
			if (!stream) {
				String body = anthropic ? SimulatedToolCalls.anthropicMessage(id, model, callId, toolCall, reply.promptTokens)
						: SimulatedToolCalls.openAiCompletion(id, model, callId, toolCall, reply.promptTokens);
				return response.header("content-type", "application/json").sendString(Mono.just(body));
			}
			List<String> events = anthropic ? SimulatedToolCalls.anthropicEvents(id, model, callId, toolCall, reply.promptTokens)
					: SimulatedToolCalls.openAiEvents(id, model, callId, toolCall, reply.promptTokens);
			return response.header("content-type", "text/event-stream").header("cache-control", "no-cache")
				.sendString(Flux.fromIterable(events));
		}
		List<String> words = words(answer(call, model, anthropic));
		int outputTokens = words.size();
		if (!stream) {
			String body = anthropic ? anthropicMessage(id, model, String.join("", words), reply.promptTokens, outputTokens)
					: openAiCompletion(id, model, String.join("", words), reply.promptTokens, outputTokens);
			return response.header("content-type", "application/json").sendString(Mono.just(body));
		}
		List<String> events = anthropic ? anthropicEvents(id, model, words, reply.promptTokens, outputTokens)
				: openAiEvents(id, model, words, reply.promptTokens, outputTokens);
		if (reply.fault == Fault.TRUNCATE || reply.fault == Fault.MID_STREAM_ERROR) {
			// A few events get through, then the stream breaks off or reports an error.
			events = new ArrayList<>(events.subList(0, Math.min(events.size() - 1, 4)));
			if (reply.fault == Fault.MID_STREAM_ERROR) {
				events.add(anthropic
						? sse("error", anthropicError("overloaded_error", "Overloaded").toString())
						: sse(null, openAiError("The server had an error while processing your request. Sorry about that!",
								"server_error", null, null).toString()));
			}
		}
		Flux<String> paced = Flux.fromIterable(events);
		if (!behaviour.chunkInterval().isZero()) {
			paced = paced.delayElements(behaviour.chunkInterval());
		}
		return response.header("content-type", "text/event-stream").header("cache-control", "no-cache").sendString(paced);
	}

	private static String answer(JsonNode call, String model, boolean anthropic) {
		String result = SimulatedAnswers.toolResult(call, anthropic);
		if (result != null) {
			return "The tool answered: " + result;
		}
		String structured = SimulatedAnswers.schemaAnswer(call);
		if (structured != null) {
			return structured;
		}
		String last = "";
		for (JsonNode message : call.path("messages")) {
			if ("user".equals(message.path("role").asString(""))) {
				JsonNode content = message.path("content");
				last = content.isString() ? content.asString() : content.path(0).path("text").asString("");
			}
		}
		String quoted = (last.length() > 80) ? last.substring(0, 80) + "…" : last;
		return "This is a simulated answer from " + model + ". You asked: \"" + quoted + "\".";
	}

	private static List<String> words(String text) {
		List<String> words = new ArrayList<>();
		for (String word : text.split("(?<= )")) {
			words.add(word);
		}
		return words;
	}

	private static String openAiCompletion(String id, String model, String text, int input, int output) {
		ObjectNode body = json.createObjectNode()
			.put("id", id)
			.put("object", "chat.completion")
			.put("created", Instant.now().getEpochSecond())
			.put("model", model);
		ObjectNode choice = body.putArray("choices").addObject().put("index", 0);
		choice.putObject("message").put("role", "assistant").put("content", text);
		choice.put("finish_reason", "stop");
		body.putObject("usage").put("prompt_tokens", input).put("completion_tokens", output).put("total_tokens", input + output);
		return body.toString();
	}

	private static List<String> openAiEvents(String id, String model, List<String> words, int input, int output) {
		List<String> events = new ArrayList<>();
		events.add(sse(null, openAiChunk(id, model, json.createObjectNode().put("role", "assistant").put("content", ""), null)));
		for (String word : words) {
			events.add(sse(null, openAiChunk(id, model, json.createObjectNode().put("content", word), null)));
		}
		events.add(sse(null, openAiChunk(id, model, json.createObjectNode(), "stop")));
		ObjectNode usage = json.createObjectNode()
			.put("id", id)
			.put("object", "chat.completion.chunk")
			.put("created", Instant.now().getEpochSecond())
			.put("model", model);
		usage.putArray("choices");
		usage.putObject("usage").put("prompt_tokens", input).put("completion_tokens", output).put("total_tokens", input + output);
		events.add(sse(null, usage.toString()));
		events.add("data: [DONE]\n\n");
		return events;
	}

	private static String openAiChunk(String id, String model, ObjectNode delta, @Nullable String finishReason) {
		ObjectNode chunk = json.createObjectNode()
			.put("id", id)
			.put("object", "chat.completion.chunk")
			.put("created", Instant.now().getEpochSecond())
			.put("model", model);
		ArrayNode choices = chunk.putArray("choices");
		ObjectNode choice = choices.addObject().put("index", 0);
		choice.set("delta", delta);
		choice.put("finish_reason", finishReason);
		return chunk.toString();
	}

	private static String anthropicMessage(String id, String model, String text, int input, int output) {
		ObjectNode body = json.createObjectNode().put("id", id).put("type", "message").put("role", "assistant").put("model", model);
		body.putArray("content").addObject().put("type", "text").put("text", text);
		body.put("stop_reason", "end_turn").putNull("stop_sequence");
		body.putObject("usage").put("input_tokens", input).put("output_tokens", output);
		return body.toString();
	}

	private static List<String> anthropicEvents(String id, String model, List<String> words, int input, int output) {
		List<String> events = new ArrayList<>();
		ObjectNode start = json.createObjectNode().put("type", "message_start");
		ObjectNode message = start.putObject("message").put("id", id).put("type", "message").put("role", "assistant").put("model", model);
		message.putArray("content");
		message.putNull("stop_reason").putNull("stop_sequence");
		message.putObject("usage").put("input_tokens", input).put("output_tokens", 1);
		events.add(sse("message_start", start.toString()));
		ObjectNode blockStart = json.createObjectNode().put("type", "content_block_start").put("index", 0);
		blockStart.putObject("content_block").put("type", "text").put("text", "");
		events.add(sse("content_block_start", blockStart.toString()));
		events.add(sse("ping", "{\"type\": \"ping\"}"));
		for (String word : words) {
			ObjectNode delta = json.createObjectNode().put("type", "content_block_delta").put("index", 0);
			delta.putObject("delta").put("type", "text_delta").put("text", word);
			events.add(sse("content_block_delta", delta.toString()));
		}
		events.add(sse("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}"));
		ObjectNode end = json.createObjectNode().put("type", "message_delta");
		end.putObject("delta").put("stop_reason", "end_turn").putNull("stop_sequence");
		end.putObject("usage").put("output_tokens", output);
		events.add(sse("message_delta", end.toString()));
		events.add(sse("message_stop", "{\"type\":\"message_stop\"}"));
		return events;
	}

	static String sse(@Nullable String event, String data) {
		return ((event != null) ? "event: " + event + "\n" : "") + "data: " + data + "\n\n";
	}

}
