/**
 * The Gemini API wire format: adapter, {@code GeminiMessages} (mapping) and
 * {@code GeminiErrors} (the format's own error rules).
 */
@NullMarked
package dev.llmfallback.provider.gemini;

import org.jspecify.annotations.NullMarked;
