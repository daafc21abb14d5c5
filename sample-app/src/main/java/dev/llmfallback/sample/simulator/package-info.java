/**
 * Simulated LLM providers on a local port: OpenAI's and Anthropic's chat wire formats and OpenAI's
 * and Gemini's embeddings, failing in configured proportions as real providers do, started before
 * the application's beans when {@code sample.simulator.enabled} is set.
 */
@NullMarked
package dev.llmfallback.sample.simulator;

import org.jspecify.annotations.NullMarked;
