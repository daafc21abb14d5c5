/**
 * The user API of LLM fallback: {@link dev.llmfallback.ChatService}, the requests and answers it takes
 * and gives, the record of attempts, and the exceptions a walk ends with. Nothing here imports the
 * engine, the provider SPI or an adapter.
 */
@NullMarked
package dev.llmfallback;

import org.jspecify.annotations.NullMarked;
