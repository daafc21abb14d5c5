/**
 * What a user configures, checked once: models ({@link dev.llmfallback.policy.ModelDefinition}),
 * policies ({@link dev.llmfallback.policy.FallbackPolicy} with its
 * {@link dev.llmfallback.policy.RetrySpec} and {@link dev.llmfallback.policy.CooldownSpec}), the
 * built-in {@link dev.llmfallback.policy.ModelCatalog catalogue} of known models, and the
 * {@link dev.llmfallback.policy.FallbackConfigurationException} that names the property at fault.
 */
@NullMarked
package dev.llmfallback.policy;

import org.jspecify.annotations.NullMarked;
