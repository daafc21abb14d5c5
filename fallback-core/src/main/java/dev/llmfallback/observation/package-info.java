/**
 * Micrometer observations of requests: the context, its documentation and its conventions.
 */
@NullMarked
package dev.llmfallback.observation;

import org.jspecify.annotations.NullMarked;
