/**
 * Anthropic's Messages wire format: adapter, {@code AnthropicMessages} (mapping, with
 * {@code AnthropicContent} for turns and blocks, {@code AnthropicTools} for tools and structured
 * output, {@code AnthropicEvents} for streams) and {@code AnthropicErrors} (the format's own error
 * rules).
 */
@NullMarked
package dev.llmfallback.provider.anthropic;

import org.jspecify.annotations.NullMarked;
