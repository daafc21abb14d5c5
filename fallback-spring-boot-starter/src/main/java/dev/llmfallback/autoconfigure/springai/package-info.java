/**
 * Auto-configuration of the Spring AI bridge; loaded only when Spring AI is on the classpath.
 */
@NullMarked
package dev.llmfallback.autoconfigure.springai;

import org.jspecify.annotations.NullMarked;
