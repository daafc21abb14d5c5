/**
 * Auto-configuration of the mapping from a failed LLM request to an HTTP answer, and of the problem
 * details for an application's own Spring MVC or WebFlux controllers.
 */
@NullMarked
package dev.llmfallback.autoconfigure.web;

import org.jspecify.annotations.NullMarked;
