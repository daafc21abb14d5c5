package dev.llmfallback.redis;

import java.util.List;

import dev.llmfallback.state.SharedLatency;

/** One deployment's pool of recent latencies in Redis: a list of the newest 256, in nanoseconds. */
final class RedisLatency implements SharedLatency {

	private static final int POOL = 256;

	private final RedisSharedState state;

	private final String key;

	private final List<String> keys;

	private final Listener listener;

	RedisLatency(RedisSharedState state, String key, Listener listener) {
		this.state = state;
		this.key = key;
		this.keys = List.of(key);
		this.listener = listener;
	}

	@Override
	public void record(long nanos) {
		this.state.run(RedisScripts.LATENCY, this.keys, List.of(Long.toString(nanos)), (done) -> {
		});
	}

	@Override
	public void refresh() {
		this.state.range(this.key, POOL, (entries) -> {
			if (entries == null) {
				return;
			}
			long[] nanos = new long[entries.size()];
			for (int i = 0; i < nanos.length; i++) {
				nanos[i] = Long.parseLong(entries.get(i));
			}
			this.listener.recent(nanos);
		});
	}

}
