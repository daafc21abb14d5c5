/**
 * How a failed LLM request is answered over HTTP: one mapping from an exhausted chain to a status,
 * headers ({@code Retry-After}, {@code retry-after-ms}, {@code x-should-retry},
 * {@code x-fallback-category}) and body parts, and the problem-detail handler for an application's
 * own controllers.
 */
@org.jspecify.annotations.NullMarked
package dev.llmfallback.web;
