package dev.llmfallback.redis;

import java.util.List;

import dev.llmfallback.state.SharedUsage;

/** One deployment's usage in Redis: a hash of one-second buckets ({@code r<second>}, {@code t<second>}). */
final class RedisUsage implements SharedUsage {

	private final RedisSharedState state;

	private final List<String> keys;

	private final Listener listener;

	RedisUsage(RedisSharedState state, String key, Listener listener) {
		this.state = state;
		this.keys = List.of(key);
		this.listener = listener;
	}

	@Override
	public void add(long requests, long tokens) {
		this.state.run(RedisScripts.USAGE, this.keys, List.of(Long.toString(requests), Long.toString(tokens)),
				(totals) -> {
					if (totals == null || totals.size() < 2) {
						this.listener.lost(requests, tokens);
					}
					else {
						this.listener.totals(totals.get(0), totals.get(1), requests, tokens);
					}
				});
	}

}
