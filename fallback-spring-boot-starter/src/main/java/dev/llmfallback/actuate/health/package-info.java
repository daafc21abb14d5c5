/**
 * The {@code llm} health contributor: one child per model and per policy of the engine, and one for
 * the shared state where Redis holds it.
 */
@NullMarked
package dev.llmfallback.actuate.health;

import org.jspecify.annotations.NullMarked;
