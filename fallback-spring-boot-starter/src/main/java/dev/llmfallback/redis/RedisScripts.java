package dev.llmfallback.redis;

import java.util.List;

import org.springframework.data.redis.core.script.RedisScript;

/**
 * The Lua scripts behind shared state. Each update is one script, so that it is atomic on the
 * server (no read-modify-write from Java); times come from the server's {@code TIME}, so that
 * replicas whose clocks differ still count one window; every key expires.
 */
final class RedisScripts {

	/**
	 * Counts a failure in the circuit's window unless it cools down already; opens it for every
	 * replica once the window holds enough. KEYS: failures, cooldown. ARGV: window ms, threshold,
	 * cooldown ms, reason, member, channel, key. Returns 1 when it opened the circuit.
	 */
	static final RedisScript<Long> FAILED = RedisScript.of("""
			if redis.call('EXISTS', KEYS[2]) == 1 then return 0 end
			local t = redis.call('TIME')
			local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
			redis.call('ZADD', KEYS[1], now, ARGV[5])
			redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - tonumber(ARGV[1]))
			redis.call('PEXPIRE', KEYS[1], ARGV[1])
			if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[2]) then
			  redis.call('SET', KEYS[2], ARGV[4] .. ' 0', 'PX', ARGV[3])
			  redis.call('DEL', KEYS[1])
			  redis.call('PUBLISH', ARGV[6], 'open * ' .. ARGV[3] .. ' ' .. ARGV[4] .. ' 0 ' .. ARGV[7])
			  return 1
			end
			return 0
			""", Long.class);

	/**
	 * A cooldown started on one replica: kept unless a longer one runs, told to the others, and the
	 * window and the trial's lease cleared. KEYS: failures, cooldown, trial. ARGV: duration ms,
	 * reason, failed trials, channel, replica, key. Returns 1 when it was news.
	 */
	static final RedisScript<Long> OPENED = RedisScript.of("""
			if redis.call('PTTL', KEYS[2]) >= tonumber(ARGV[1]) then return 0 end
			redis.call('SET', KEYS[2], ARGV[2] .. ' ' .. ARGV[3], 'PX', ARGV[1])
			redis.call('DEL', KEYS[1], KEYS[3])
			redis.call('PUBLISH', ARGV[4], 'open ' .. ARGV[5] .. ' ' .. ARGV[1] .. ' ' .. ARGV[2] .. ' ' .. ARGV[3] .. ' ' .. ARGV[6])
			return 1
			""", Long.class);

	/** The circuit closed on one replica. KEYS: failures, cooldown, trial. ARGV: channel, replica, key. */
	static final RedisScript<Long> CLOSED = RedisScript.of("""
			redis.call('DEL', KEYS[1], KEYS[2], KEYS[3])
			redis.call('PUBLISH', ARGV[1], 'close ' .. ARGV[2] .. ' ' .. ARGV[3])
			return 1
			""", Long.class);

	/**
	 * The half-open trial's lease, taken by one replica at a time. KEYS: cooldown, trial. ARGV:
	 * lease ms, replica. Returns 0 when this replica holds it, else the milliseconds to wait before
	 * asking again (the shared cooldown's rest, or the lease's).
	 */
	static final RedisScript<Long> TRIAL = RedisScript.of("""
			local cooling = redis.call('PTTL', KEYS[1])
			if cooling > 0 then return cooling end
			if redis.call('SET', KEYS[2], ARGV[2], 'NX', 'PX', ARGV[1]) then return 0 end
			if redis.call('GET', KEYS[2]) == ARGV[2] then return 0 end
			local left = redis.call('PTTL', KEYS[2])
			if left < 1 then return 1 end
			return left
			""", Long.class);

	/**
	 * Adds requests and tokens to a deployment's one-second buckets and sums the last 60 of them.
	 * KEYS: usage. ARGV: requests, tokens. Returns {requests, tokens} over the minute.
	 */
	@SuppressWarnings({ "unchecked", "rawtypes" })
	static final RedisScript<List<Long>> USAGE = (RedisScript) RedisScript.of("""
			local t = redis.call('TIME')
			local second = tonumber(t[1])
			if tonumber(ARGV[1]) > 0 then redis.call('HINCRBY', KEYS[1], 'r' .. second, ARGV[1]) end
			if tonumber(ARGV[2]) > 0 then redis.call('HINCRBY', KEYS[1], 't' .. second, ARGV[2]) end
			redis.call('EXPIRE', KEYS[1], 61)
			local all = redis.call('HGETALL', KEYS[1])
			local requests, tokens = 0, 0
			for i = 1, #all, 2 do
			  local field = all[i]
			  if second - tonumber(string.sub(field, 2)) >= 60 then
			    redis.call('HDEL', KEYS[1], field)
			  elseif string.sub(field, 1, 1) == 'r' then
			    requests = requests + tonumber(all[i + 1])
			  else
			    tokens = tokens + tonumber(all[i + 1])
			  end
			end
			return {requests, tokens}
			""", List.class);

	/**
	 * Adds a latency to a deployment's pool, keeping the newest {@code 256}. KEYS: latencies.
	 * ARGV: nanoseconds.
	 */
	static final RedisScript<Long> LATENCY = RedisScript.of("""
			redis.call('LPUSH', KEYS[1], ARGV[1])
			redis.call('LTRIM', KEYS[1], 0, 255)
			redis.call('EXPIRE', KEYS[1], 3600)
			return 1
			""", Long.class);

	private RedisScripts() {
	}

}
