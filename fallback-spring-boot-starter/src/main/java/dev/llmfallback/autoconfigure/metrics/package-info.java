/**
 * Auto-configuration of the engine's Micrometer meters, the OpenTelemetry GenAI client meters and,
 * with Redis shared state, its error counter.
 */
@NullMarked
package dev.llmfallback.autoconfigure.metrics;

import org.jspecify.annotations.NullMarked;
