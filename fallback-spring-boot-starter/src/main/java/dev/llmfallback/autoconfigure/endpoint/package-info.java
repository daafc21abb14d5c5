/**
 * Auto-configuration of the {@code fallbacks} actuator endpoint, and of the sanitizing function that
 * keeps provider credentials out of the {@code env} and {@code configprops} endpoints.
 */
@NullMarked
package dev.llmfallback.autoconfigure.endpoint;

import org.jspecify.annotations.NullMarked;
