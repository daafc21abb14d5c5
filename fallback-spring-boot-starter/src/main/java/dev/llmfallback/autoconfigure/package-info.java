/**
 * Auto-configuration of the fallback engine from the {@code llm.fallback} properties: the bound
 * properties, their mapping to the core's providers, models and policies, and the start-up failure
 * analysis that names a property at fault.
 */
@NullMarked
package dev.llmfallback.autoconfigure;

import org.jspecify.annotations.NullMarked;
