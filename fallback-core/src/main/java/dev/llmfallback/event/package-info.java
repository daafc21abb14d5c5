/**
 * The events the engine publishes as a request walks its chain, and the listener that receives them.
 */
@NullMarked
package dev.llmfallback.event;

import org.jspecify.annotations.NullMarked;
