package dev.llmfallback.engine;

import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;

import org.jspecify.annotations.Nullable;

import dev.llmfallback.Attempt;
import dev.llmfallback.ChatChunk;
import dev.llmfallback.ChatResponse;
import dev.llmfallback.EmbeddingResponse;

/**
 * How an observed request's values say that it ended and who served it: an answer ends its request,
 * a stream ends with its last chunk.
 *
 * @param ends whether a value is the one that ends the request
 * @param servedBy the configured model that served the request, read from that value
 * @param attempts the walk's calls and skips, read from that value
 * @param <T> the values of the request
 */
record RequestOutcome<T>(Predicate<T> ends, Function<T, @Nullable String> servedBy,
		Function<T, @Nullable List<Attempt>> attempts) {

	static final RequestOutcome<ChatResponse> CHAT = new RequestOutcome<>((response) -> true, ChatResponse::servedBy,
			ChatResponse::attempts);

	static final RequestOutcome<ChatChunk> STREAM = new RequestOutcome<>(ChatChunk::last, ChatChunk::servedBy,
			ChatChunk::attempts);

	static final RequestOutcome<EmbeddingResponse> EMBEDDINGS = new RequestOutcome<>((response) -> true,
			EmbeddingResponse::servedBy, EmbeddingResponse::attempts);

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
