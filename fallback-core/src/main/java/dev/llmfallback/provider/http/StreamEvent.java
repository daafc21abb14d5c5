package dev.llmfallback.provider.http;

import org.jspecify.annotations.Nullable;

/**
 * One event of a streamed answer: a server-sent event, or one line of an NDJSON stream.
 *
 * @param event the SSE event name, or {@code null} (always {@code null} for NDJSON)
 * @param data the event's data (the joined {@code data:} lines, or the NDJSON line)
 */
record StreamEvent(@Nullable String event, String data) {

}
