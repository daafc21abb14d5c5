package dev.llmfallback.event;

/**
 * Receives the engine's {@link FallbackEvent events}. Called on the thread that produced the event,
 * often a Reactor event loop: an implementation must be fast and must never block. A listener that
 * throws is logged and ignored; it never breaks a call.
 */
@FunctionalInterface
public interface FallbackEventListener {

	void onEvent(FallbackEvent event);

}
