package dev.llmfallback.engine;

import java.util.List;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import reactor.core.Exceptions;

import dev.llmfallback.event.FallbackEvent;
import dev.llmfallback.event.FallbackEventListener;

/**
 * Hands events to the listeners; a listener that throws is logged and never breaks a call.
 * Notable events (a cooldown's start and end, a request that ended without an answer) also go to
 * the engine's {@link EventLog}, so they are built even when no listener listens; the per-call
 * events are built only for listeners.
 */
final class EventPublisher {

	private static final Log logger = LogFactory.getLog(EventPublisher.class);

	private final FallbackEventListener[] listeners;

	/** {@code null} when the engine's log is off. */
	private final @Nullable EventLog log;

	EventPublisher(List<FallbackEventListener> listeners, @Nullable EventLog log) {
		this.listeners = listeners.toArray(new FallbackEventListener[0]);
		this.log = log;
	}

	/** Lets callers skip building events nobody receives. */
	boolean hasListeners() {
		return this.listeners.length > 0;
	}

	void publish(FallbackEvent event) {
		for (FallbackEventListener listener : this.listeners) {
			deliver(listener, event);
		}
	}

	/** A rare event worth a log line: to the log, then to the listeners. */
	void publishNotable(FallbackEvent event) {
		if (this.log != null) {
			deliver(this.log, event);
		}
		publish(event);
	}

	private static void deliver(FallbackEventListener listener, FallbackEvent event) {
		try {
			listener.onEvent(event);
		}
		catch (Throwable ex) {
			Exceptions.throwIfJvmFatal(ex);
			if (logger.isWarnEnabled()) {
				logger.warn("Fallback event listener " + listener.getClass().getName() + " failed on "
						+ event.getClass().getSimpleName() + "; the call goes on: " + ex);
			}
		}
	}

}
