package dev.llmfallback.engine;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Captures what the engine logs under one logger name. fallback-core has no logging backend on its
 * test class path, so Commons Logging writes to {@code java.util.logging}, where a handler sees
 * every line as it is written. Close it to detach.
 */
final class LogCapture implements AutoCloseable {

	private final Logger logger;

	private final Level previousLevel;

	private final List<String> lines = new CopyOnWriteArrayList<>();

	private final Handler handler = new Handler() {

		@Override
		public void publish(LogRecord record) {
			LogCapture.this.lines.add(record.getLevel() + " " + record.getMessage());
		}

		@Override
		public void flush() {
		}

		@Override
		public void close() {
		}

	};

	private LogCapture(String name) {
		this.logger = Logger.getLogger(name);
		this.previousLevel = this.logger.getLevel();
		this.logger.setLevel(Level.ALL);
		this.logger.addHandler(this.handler);
	}

	static LogCapture of(String name) {
		return new LogCapture(name);
	}

	static LogCapture of(Class<?> type) {
		return new LogCapture(type.getName());
	}

	/** @return every line so far, as {@code LEVEL message} */
	List<String> lines() {
		return List.copyOf(this.lines);
	}

	@Override
	public void close() {
		this.logger.removeHandler(this.handler);
		this.logger.setLevel(this.previousLevel);
	}

}
