/**
 * Micrometer meters of the engine: the {@code llm.fallback.*} meters recorded from its events, the
 * model availability gauge, and the OpenTelemetry GenAI client meters of each model call.
 */
@NullMarked
package dev.llmfallback.actuate.metrics;

import org.jspecify.annotations.NullMarked;
