/**
 * Cohere's v2 Chat wire format: adapter, {@code CohereMessages} (mapping) and
 * {@code CohereErrors} (the format's own error rules).
 */
@NullMarked
package dev.llmfallback.provider.cohere;

import org.jspecify.annotations.NullMarked;
