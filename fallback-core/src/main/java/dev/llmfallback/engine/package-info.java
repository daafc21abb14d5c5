/**
 * The fallback engine: one walk along a policy's chain ({@code RequestWalk}) run by a driver per
 * operation, the models' cooldown circuits, and {@link dev.llmfallback.engine.FallbackEngine}, its
 * face.
 */
@NullMarked
package dev.llmfallback.engine;

import org.jspecify.annotations.NullMarked;
