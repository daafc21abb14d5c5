package dev.llmfallback.engine;

import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;

import org.jspecify.annotations.Nullable;

import dev.llmfallback.Attempt;
import dev.llmfallback.ChatChunk;
import dev.llmfallback.ChatResponse;
import dev.llmfallback.EmbeddingResponse;
import dev.llmfallback.event.AttemptEvent;

/**
 * What kind of request is observed, and how its values say that it ended and who served it: an
 * answer ends its request, a stream ends with its last chunk.
 *
 * @param operation the observation's operation ({@link AttemptEvent#CHAT} or
 * {@link AttemptEvent#EMBEDDINGS})
 * @param streaming whether the request is a stream
 * @param ends whether a value is the one that ends the request
 * @param servedBy the configured model that served the request, read from that value
 * @param attempts the walk's calls and skips, read from that value
 * @param <T> the values of the request
 */
record RequestOutcome<T>(String operation, boolean streaming, Predicate<T> ends, Function<T, @Nullable String> servedBy,
		Function<T, @Nullable List<Attempt>> attempts) {

	static final RequestOutcome<ChatResponse> CHAT = new RequestOutcome<>(AttemptEvent.CHAT, false,
			(response) -> true, ChatResponse::servedBy, ChatResponse::attempts);

	static final RequestOutcome<ChatChunk> STREAM = new RequestOutcome<>(AttemptEvent.CHAT, true, ChatChunk::last,
			ChatChunk::servedBy, ChatChunk::attempts);

	static final RequestOutcome<EmbeddingResponse> EMBEDDINGS = new RequestOutcome<>(AttemptEvent.EMBEDDINGS, false,
			(response) -> true, EmbeddingResponse::servedBy, EmbeddingResponse::attempts);

	boolean ends(T value) {
		return this.ends.test(value);
	}

	@Nullable String servedBy(T value) {
		return this.servedBy.apply(value);
	}

	@Nullable List<Attempt> attempts(T value) {
		return this.attempts.apply(value);
	}

}
