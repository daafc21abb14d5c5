package dev.llmfallback.engine;

import java.util.List;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.Exceptions;

import dev.llmfallback.event.FallbackEvent;
import dev.llmfallback.event.FallbackEventListener;

/** Hands events to the listeners; a listener that throws is logged and never breaks a call. */
final class EventPublisher {

	private static final Log logger = LogFactory.getLog(FallbackEngine.class);

	private final FallbackEventListener[] listeners;

	EventPublisher(List<FallbackEventListener> listeners) {
		this.listeners = listeners.toArray(new FallbackEventListener[0]);
	}

	/** Lets callers skip building events nobody receives. */
	boolean hasListeners() {
		return this.listeners.length > 0;
	}

	void publish(FallbackEvent event) {
		for (FallbackEventListener listener : this.listeners) {
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

}
