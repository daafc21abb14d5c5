package dev.llmfallback.engine;

import org.jspecify.annotations.Nullable;

/**
 * What every walk of one engine shares: its clock, its event publisher and its token estimator
 * ({@code null} when no model has a known context window, so nothing is ever counted).
 */
record WalkContext(EngineClock clock, EventPublisher events, @Nullable TokenEstimator tokens) {
}
