package dev.llmfallback.provider.http;

import java.util.function.Consumer;

import dev.llmfallback.provider.ProviderChunk;
import tools.jackson.databind.JsonNode;
import org.jspecify.annotations.Nullable;

/**
 * Turns one streamed answer's events into chunks. One instance per stream; not thread-safe
 * (events arrive one at a time). Error events never reach it: the template's stream
 * reader classifies those.
 *
 * <p>Public: each format implements it in its own package.
 */
public interface StreamDecoder {

	/**
	 * Handles one event.
	 * @param event the SSE event name, or {@code null}
	 * @param data the event's JSON data
	 * @param emit where to send the chunks this event yields
	 * @throws dev.llmfallback.LlmException when the event shows the answer is unusable (e.g. a
	 * safety block)
	 */
	void onEvent(@Nullable String event, JsonNode data, Consumer<ProviderChunk> emit);

	/** Called for an SSE {@code data: [DONE]} line. */
	default void onDoneMarker() {
	}

	/** @return whether the protocol's terminal marker has arrived */
	boolean isComplete();

	/**
	 * The last chunk, with finish reason, usage and model, once {@link #isComplete()}.
	 * @return the final chunk, or {@code null}
	 * @throws dev.llmfallback.LlmException when the completed answer is unusable
	 */
	@Nullable ProviderChunk finish();

}
