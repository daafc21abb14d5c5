package dev.llmfallback;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.jspecify.annotations.Nullable;

/**
 * A piece of a streamed answer. Every chunk carries its text and the model serving the stream
 * (which never changes once a chunk has reached the caller); the last one (see {@link #last()})
 * carries an empty delta and the finish reason, usage, the model id the provider reported and the
 * walk's attempts.
 *
 * @param delta the text added by this chunk (never {@code null})
 * @param finishReason on the last chunk, why the model stopped
 * @param usage on the last chunk, the tokens the provider reported, or {@code null}
 * @param servedBy the configured model serving the stream
 * @param provider that model's provider
 * @param providerModel on the last chunk, the model id the provider reported
 * @param attempts on the last chunk, every call and skip of the walk; {@code null} before
 * @param toolCallDeltas pieces of tool calls this chunk adds (empty for none)
 * @param toolCalls on the last chunk, the tool calls assembled from every delta; else empty
 * @param droppedParams on the last chunk, the parameters left out for the serving model (see
 * {@link ChatResponse#droppedParams()}); else empty
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ChatChunk(String delta, @Nullable String finishReason, @Nullable Usage usage, @Nullable String servedBy, @Nullable String provider,
		@Nullable String providerModel, @Nullable List<Attempt> attempts,
		@JsonInclude(JsonInclude.Include.NON_EMPTY) List<ToolCall.Delta> toolCallDeltas,
		@JsonInclude(JsonInclude.Include.NON_EMPTY) List<ToolCall> toolCalls,
		@JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> droppedParams) {

	public ChatChunk {
		delta = (delta != null) ? delta : "";
		attempts = (attempts != null) ? List.copyOf(attempts) : null;
		toolCallDeltas = (toolCallDeltas != null) ? List.copyOf(toolCallDeltas) : List.of();
		toolCalls = (toolCalls != null) ? List.copyOf(toolCalls) : List.of();
		droppedParams = (droppedParams != null) ? List.copyOf(droppedParams) : List.of();
	}

	/**
	 * A chunk without tool calls.
	 * @param delta the text added by this chunk
	 * @param finishReason on the last chunk, why the model stopped
	 * @param usage on the last chunk, the tokens the provider reported
	 * @param servedBy the configured model serving the stream
	 * @param provider that model's provider
	 * @param providerModel on the last chunk, the model id the provider reported
	 * @param attempts on the last chunk, every call and skip of the walk; {@code null} before
	 */
	public ChatChunk(String delta, @Nullable String finishReason, @Nullable Usage usage, @Nullable String servedBy,
			@Nullable String provider, @Nullable String providerModel, @Nullable List<Attempt> attempts) {
		this(delta, finishReason, usage, servedBy, provider, providerModel, attempts, List.of(), List.of(), List.of());
	}

	/**
	 * A chunk carrying only text.
	 * @param delta the text
	 * @return the chunk
	 */
	public static ChatChunk delta(String delta) {
		return new ChatChunk(delta, null, null, null, null, null, null);
	}

	/**
	 * A chunk carrying text from the model serving the stream.
	 * @param delta the text
	 * @param servedBy the configured model
	 * @param provider its provider
	 * @return the chunk
	 */
	public static ChatChunk delta(String delta, String servedBy, String provider) {
		return new ChatChunk(delta, null, null, servedBy, provider, null, null);
	}

	/**
	 * Whether this is the stream's last chunk, the one carrying the attempts.
	 * @return {@code true} for the last chunk
	 */
	public boolean last() {
		return this.attempts != null;
	}

	/**
	 * On the last chunk, how many hops the walk made before the serving model.
	 * @return the number of hops, 0 on other chunks
	 */
	public int fallbacks() {
		return (this.attempts != null) ? Attempt.hops(this.attempts) : 0;
	}

}
