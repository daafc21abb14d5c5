/**
 * The HTTP skeleton every wire format shares: the template
 * {@link dev.llmfallback.provider.http.HttpChatProvider} over package-private transport classes
 * (client, whole-answer reader, event-stream reader, failures and classification). Public only what
 * the adapters in the per-format packages use.
 */
@NullMarked
package dev.llmfallback.provider.http;

import org.jspecify.annotations.NullMarked;
