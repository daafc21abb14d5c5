/**
 * The {@code fallbacks} actuator endpoint: every policy's chain with each model's cooldown state, the
 * most recent hops and each model's recent outcomes, kept in bounded rings filled as engine
 * listeners, and, in its resettable form, the operation that ends a model's cooldown.
 */
@NullMarked
package dev.llmfallback.actuate.endpoint;

import org.jspecify.annotations.NullMarked;
