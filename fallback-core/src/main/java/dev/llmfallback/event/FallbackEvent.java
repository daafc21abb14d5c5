package dev.llmfallback.event;

/**
 * Something that happened while the engine walked a chain: an attempt, a hop, a cooldown starting
 * or ending, a request completing. Delivered synchronously to every
 * {@link FallbackEventListener}, in the order it happened within a request.
 */
public sealed interface FallbackEvent
		permits AttemptEvent, HopEvent, CooldownStartedEvent, CooldownEndedEvent, RequestCompletedEvent, HedgeEvent {

}
