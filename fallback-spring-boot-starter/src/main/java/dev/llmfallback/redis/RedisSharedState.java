package dev.llmfallback.redis;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;
import org.springframework.data.redis.connection.ReactiveSubscription.Message;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.data.redis.listener.ChannelTopic;
import org.springframework.data.redis.listener.ReactiveRedisMessageListenerContainer;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import dev.llmfallback.ErrorCategory;
import dev.llmfallback.scheduling.TimerWheelScheduler;
import dev.llmfallback.state.SharedCircuit;
import dev.llmfallback.state.SharedLatency;
import dev.llmfallback.state.SharedState;
import dev.llmfallback.state.SharedUsage;

/**
 * {@link SharedState} in Redis, over the application's reactive connection (Lettuce): circuits
 * ({@link RedisCircuit}), usage ({@link RedisUsage}) and latencies ({@link RedisLatency}). Updates are
 * Lua scripts sent without waiting ({@link RedisScripts}); cooldowns reach the other replicas
 * through one pub/sub channel, {@code <prefix>events}, so they are obeyed within a round trip.
 *
 * <p>Redis down is not an outage: a command that fails, three in a row that outlast {@code timeout},
 * or a heartbeat once a second that does not answer within twice that, turns this replica to its local state ({@link #connected()}
 * false, one WARN line, {@link #errors()} counted); nothing is sent while it is so, and the first
 * heartbeat that Redis answers brings it back (one INFO line) by subscribing again. Requests never
 * wait on any of it.
 *
 * <p>Over 300 lines: the connection's life (connect, subscribe, heartbeat, leave, rejoin) and the
 * commands and messages that travel over it share one {@code connected} flag, which must flip in
 * one place for a command, the channel and the heartbeat alike.
 */
public final class RedisSharedState implements SharedState, DisposableBean {

	private static final Log logger = LogFactory.getLog(RedisSharedState.class);

	private static final Duration HEARTBEAT = Duration.ofSeconds(1);

	private static final int SLOW_COMMANDS_TO_LEAVE = 3;

	private final ReactiveStringRedisTemplate redis;

	private final ReactiveRedisConnectionFactory connectionFactory;

	/** Made anew for each subscription: making one connects at once, which fails while Redis is away. */
	private volatile @Nullable ReactiveRedisMessageListenerContainer listeners;

	private final String prefix;

	private final String channel;

	private final Duration trialLease;

	private final Duration timeout;

	/** Tells this replica's own messages from the others'. */
	private final String replica = UUID.randomUUID().toString();

	private final Map<String, RedisCircuit> circuits = new ConcurrentHashMap<>();

	private final AtomicBoolean connected = new AtomicBoolean();

	/** A subscription asked for and not yet confirmed. */
	private final AtomicBoolean subscribing = new AtomicBoolean();

	private final AtomicLong errors = new AtomicLong();

	private final AtomicLong sequence = new AtomicLong();

	/** Commands in a row that outlasted {@code timeout}. */
	private final AtomicInteger slowCommands = new AtomicInteger();

	private volatile @Nullable Disposable subscription;

	private volatile @Nullable Disposable heartbeat;

	private volatile boolean closed;

	/**
	 * Connects at once; until the channel is subscribed the replica runs on local state.
	 * @param connectionFactory the application's reactive Redis connection
	 * @param prefix the prefix of every key and of the channel
	 * @param trialLease how long one replica may hold the half-open trial before another may take it
	 * @param timeout how long a command may take before Redis counts as unreachable
	 */
	public RedisSharedState(ReactiveRedisConnectionFactory connectionFactory, String prefix, Duration trialLease,
			Duration timeout) {
		this.redis = new ReactiveStringRedisTemplate(connectionFactory);
		this.connectionFactory = connectionFactory;
		this.prefix = prefix;
		this.channel = prefix + "events";
		this.trialLease = trialLease;
		this.timeout = timeout;
		// The first use of the connection connects, which blocks: never on the caller's thread (start-up
		// must not wait on Redis) nor on a request's. Commands are sent only once connected, after it.
		Schedulers.boundedElastic().schedule(this::connect);
	}

	@Override
	public SharedCircuit circuit(String key, SharedCircuit.Listener listener) {
		RedisCircuit circuit = new RedisCircuit(this, key, listener);
		this.circuits.put(key, circuit);
		return circuit;
	}

	@Override
	public SharedUsage usage(String key, SharedUsage.Listener listener) {
		return new RedisUsage(this, this.prefix + "usage:" + key, listener);
	}

	@Override
	public SharedLatency latency(String key, SharedLatency.Listener listener) {
		return new RedisLatency(this, this.prefix + "latency:" + key, listener);
	}

	@Override
	public boolean connected() {
		return this.connected.get();
	}

	/** @return the commands that failed or timed out, and lost subscriptions, since start */
	public long errors() {
		return this.errors.get();
	}

	String key(String circuit, String part) {
		return this.prefix + "circuit:" + circuit + ":" + part;
	}

	String channel() {
		return this.channel;
	}

	String replica() {
		return this.replica;
	}

	Duration trialLease() {
		return this.trialLease;
	}

	/** A member of a failure window that no other failure, here or elsewhere, can share. */
	String nextMember() {
		return this.replica + ":" + this.sequence.incrementAndGet();
	}

	/**
	 * Runs a script without waiting; its answer (or {@code null} when Redis failed) goes to
	 * {@code then} on Lettuce's thread. Nothing is sent while Redis is unreachable.
	 */
	<T> void run(RedisScript<T> script, List<String> keys, List<String> args, ScriptCallback<T> then) {
		send(this.redis.execute(script, keys, args).next(), then);
	}

	/** Reads the newest {@code count} entries of a list, as {@link #run} runs a script. */
	void range(String key, int count, ScriptCallback<List<String>> then) {
		send(this.redis.opsForList().range(key, 0, count - 1).collectList(), then);
	}

	private <T> void send(Mono<T> command, ScriptCallback<T> then) {
		if (!this.connected.get()) {
			then.answered(null);
			return;
		}
		// A fallback of our own: without one, Reactor names the command's operators in a message, per call.
		// On the library's timer wheel: Schedulers.parallel() would wake a thread to arm and to cancel it.
		Mono<T> timed = command.timeout(this.timeout, Mono.error(TimeoutException::new), TimerWheelScheduler.shared());
		timed.subscribe((answer) -> {
			this.slowCommands.set(0);
			then.answered(answer);
		}, (error) -> {
			// One slow answer under load is not an outage; a refused connection, or three in a row, is.
			if (error instanceof TimeoutException && this.slowCommands.incrementAndGet() < SLOW_COMMANDS_TO_LEAVE) {
				this.errors.incrementAndGet();
			}
			else {
				unreachable(error);
			}
			then.answered(null);
		});
	}

	/** What a script's answer does; {@code null} when Redis did not answer. */
	@FunctionalInterface
	interface ScriptCallback<T> {

		void answered(@Nullable T answer);

	}

	private void connect() {
		try {
			this.connectionFactory.getReactiveConnection().closeLater().subscribe((done) -> { }, (error) -> { });
			subscribe();
		}
		catch (RuntimeException ex) {
			unreachable(ex);
		}
		if (!this.closed) {
			this.heartbeat = heartbeat();
		}
	}

	/**
	 * Once a second: turns the replica local when Redis does not answer (within twice {@code timeout},
	 * lenient to one slow answer), and subscribes again when it answers after an outage.
	 */
	private Disposable heartbeat() {
		return Flux.interval(HEARTBEAT, HEARTBEAT)
			.onBackpressureDrop()
			.concatMap((tick) -> Mono.defer(() -> this.redis.hasKey(this.channel))
				.subscribeOn(Schedulers.boundedElastic())
				.timeout(this.timeout.multipliedBy(2))
				.map((exists) -> true)
				.onErrorResume((error) -> {
					unreachable(error);
					return Mono.just(false);
				}))
			.filter((reachable) -> reachable && !this.connected.get())
			.publishOn(Schedulers.boundedElastic())
			.subscribe((reachable) -> subscribe(), (error) -> logger.error("The heartbeat of the shared state stopped", error));
	}

	private void subscribe() {
		if (this.closed || !this.subscribing.compareAndSet(false, true)) {
			return;
		}
		ReactiveRedisMessageListenerContainer listeners;
		try {
			listeners = new ReactiveRedisMessageListenerContainer(this.connectionFactory);
		}
		catch (RuntimeException ex) {
			this.subscribing.set(false);
			unreachable(ex);
			return;
		}
		ReactiveRedisMessageListenerContainer previous = this.listeners;
		this.listeners = listeners;
		if (previous != null) {
			previous.destroyLater().subscribe((done) -> { }, (error) -> { });
		}
		this.subscription = listeners.receiveLater(ChannelTopic.of(this.channel))
			.timeout(this.timeout)
			.flatMapMany((messages) -> {
				this.subscribing.set(false);
				if (this.connected.compareAndSet(false, true) && this.errors.get() > 0) {
					logger.info("Redis is reachable again: llm.fallback state is shared with the other replicas");
				}
				return messages;
			})
			.subscribe(this::onMessage, (error) -> {
				this.subscribing.set(false);
				unreachable(error);
			}, () -> unreachable(new IllegalStateException("the subscription to " + this.channel + " ended")));
	}

	private void onMessage(Message<String, String> message) {
		// "open <replica> <ms> <reason> <failed trials> <key>" or "close <replica> <key>"
		String[] parts = message.getMessage().split(" ", 6);
		boolean open = parts[0].equals("open") && parts.length == 6;
		if ((!open && !(parts[0].equals("close") && parts.length == 3)) || parts[1].equals(this.replica)) {
			return;
		}
		RedisCircuit circuit = this.circuits.get(open ? parts[5] : parts[2]);
		if (circuit == null) {
			return;
		}
		if (!open) {
			circuit.closedElsewhere();
			return;
		}
		ErrorCategory reason;
		Duration cooldown;
		int failedTrials;
		try {
			reason = ErrorCategory.valueOf(parts[3]);
			cooldown = Duration.ofMillis(Long.parseLong(parts[2]));
			failedTrials = Integer.parseInt(parts[4]);
		}
		catch (IllegalArgumentException ex) {
			// A replica of another version (a category this one does not know): its news is skipped,
			// never allowed to end the subscription.
			logger.debug("Skipped a message on " + this.channel + " that this version cannot read: " + message.getMessage());
			return;
		}
		circuit.openedElsewhere(reason, cooldown, failedTrials);
	}

	/** Turns this replica to local state, with one WARN line per outage; the heartbeat brings it back. */
	void unreachable(Throwable error) {
		long count = this.errors.incrementAndGet();
		if (this.closed) {
			return;
		}
		if (this.connected.getAndSet(false)) {
			Disposable subscription = this.subscription;
			if (subscription != null) {
				subscription.dispose();
			}
			this.subscribing.set(false);
			this.slowCommands.set(0);
			logger.warn("Redis is unreachable (" + error.getClass().getSimpleName() + ": " + error.getMessage()
					+ "): this replica keeps llm.fallback state locally until Redis is back");
		}
		else if (count == 1) {
			logger.warn("Redis is unreachable (" + error.getClass().getSimpleName() + ": " + error.getMessage()
					+ "): this replica keeps llm.fallback state locally until Redis is reachable");
		}
	}

	@Override
	public void destroy() {
		this.closed = true;
		this.connected.set(false);
		Disposable heartbeat = this.heartbeat;
		if (heartbeat != null) {
			heartbeat.dispose();
		}
		Disposable subscription = this.subscription;
		if (subscription != null) {
			subscription.dispose();
		}
		ReactiveRedisMessageListenerContainer listeners = this.listeners;
		if (listeners != null) {
			listeners.destroy();
		}
	}

}
