/**
 * The Chat Completions wire format (OpenAI, Azure OpenAI, compatible servers): adapters,
 * {@code OpenAiMessages} (mapping) and {@code OpenAiErrors} (the format's own error rules).
 */
@NullMarked
package dev.llmfallback.provider.openai;

import org.jspecify.annotations.NullMarked;
