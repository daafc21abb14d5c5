/**
 * State shared by replicas through Redis ({@code llm.fallback.state.store: redis}): the
 * {@link dev.llmfallback.state.SharedState} over the application's reactive Spring Data Redis
 * connection, its Lua scripts and its pub/sub channel.
 */
@NullMarked
package dev.llmfallback.redis;

import org.jspecify.annotations.NullMarked;
