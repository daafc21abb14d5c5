/**
 * The library's own timers: one timer wheel for the many timeouts that are armed on every call and
 * almost never fire. Public so that the engine and the HTTP adapters share it; not an API to build on.
 */
@NullMarked
package dev.llmfallback.scheduling;

import org.jspecify.annotations.NullMarked;
