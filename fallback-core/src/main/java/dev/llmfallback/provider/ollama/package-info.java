/**
 * Ollama's native chat wire format: adapter, {@code OllamaMessages} (mapping) and
 * {@code OllamaErrors} (the format's own error rules).
 */
@NullMarked
package dev.llmfallback.provider.ollama;

import org.jspecify.annotations.NullMarked;
