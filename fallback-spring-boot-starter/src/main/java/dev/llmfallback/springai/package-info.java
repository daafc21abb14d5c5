/**
 * Spring AI both ways: the fallback chain as a Spring AI {@code ChatModel} and
 * {@code EmbeddingModel}, and a Spring AI {@code ChatModel} as a provider of the chain.
 */
@NullMarked
package dev.llmfallback.springai;

import org.jspecify.annotations.NullMarked;
