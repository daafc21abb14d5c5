/**
 * Test support for applications: {@link dev.llmfallback.testing.ScriptedProvider}, a provider that
 * follows a script of {@link dev.llmfallback.testing.Step}s.
 */
@NullMarked
package dev.llmfallback.testing;

import org.jspecify.annotations.NullMarked;
