/** Auto-configuration of the {@code llm} health contributor. */
@NullMarked
package dev.llmfallback.autoconfigure.health;

import org.jspecify.annotations.NullMarked;
