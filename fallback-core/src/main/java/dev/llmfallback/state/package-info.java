/**
 * State shared by the replicas of an application ({@code llm.fallback.state.store: redis}): the
 * seam between the engine, which keeps its hot path in memory, and a store that tells the other
 * replicas what this one saw.
 */
@NullMarked
package dev.llmfallback.state;

import org.jspecify.annotations.NullMarked;
