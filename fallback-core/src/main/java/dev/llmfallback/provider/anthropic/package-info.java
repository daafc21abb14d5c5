/**
 * Anthropic's Messages wire format: adapter, {@code AnthropicMessages} (mapping) and
 * {@code AnthropicErrors} (the format's own error rules).
 */
@NullMarked
package dev.llmfallback.provider.anthropic;

import org.jspecify.annotations.NullMarked;
