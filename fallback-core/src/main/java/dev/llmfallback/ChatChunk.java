package dev.llmfallback;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A piece of a streamed answer. Every chunk but the last carries only text; the last one (see
 * {@link #last()}) carries an empty or final delta and the finish reason, usage, the model that
 * served the stream and the walk's attempts.
 *
 * @param delta the text added by this chunk (never {@code null})
 * @param finishReason on the last chunk, why the model stopped
 * @param usage on the last chunk, the tokens the provider reported, or {@code null}
 * @param servedBy on the last chunk, the configured model that served the stream
 * @param provider on the last chunk, that model's provider
 * @param providerModel on the last chunk, the model id the provider reported
 * @param attempts on the last chunk, every call and skip of the walk; {@code null} before
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ChatChunk(String delta, String finishReason, Usage usage, String servedBy, String provider,
		String providerModel, List<Attempt> attempts) {

	public ChatChunk {
		delta = (delta != null) ? delta : "";
		attempts = (attempts != null) ? List.copyOf(attempts) : null;
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
