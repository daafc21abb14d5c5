/** Auto-configuration of state shared by replicas ({@code llm.fallback.state.store: redis}). */
@NullMarked
package dev.llmfallback.autoconfigure.state;

import org.jspecify.annotations.NullMarked;
