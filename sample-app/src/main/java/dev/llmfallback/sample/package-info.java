/**
 * The sample application: {@code POST /chat} and {@code /chat/stream}, the OpenAI-compatible gateway
 * ({@code /v1/chat/completions}, {@code /v1/embeddings}, {@code /v1/models}) over the fallback engine,
 * and the one error handler that answers their failures.
 */
@NullMarked
package dev.llmfallback.sample;

import org.jspecify.annotations.NullMarked;
