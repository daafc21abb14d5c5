/**
 * The provider SPI: {@link dev.llmfallback.provider.ChatProvider}, its request and answer records, the
 * settings of a configured provider, and {@link dev.llmfallback.provider.ChatProviders}, which creates
 * an adapter through the {@link dev.llmfallback.provider.ProviderFactory} registered for its type.
 */
@NullMarked
package dev.llmfallback.provider;

import org.jspecify.annotations.NullMarked;
