package dev.llmfallback.provider.http;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;

import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.EventExecutor;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.netty.http.HttpResources;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;
import reactor.netty.resources.LoopResources;

/**
 * A provider's connections kept per event loop: one lane per loop of Reactor Netty's client loops,
 * each with a pool of its own whose connections are opened on that loop, so that a call made on an
 * event loop (a gateway's request, an engine's retry) sends its request and reads its answer on the
 * same thread.
 * <p>
 * Why: Reactor Netty pools a remote address's connections across all loops, and a connection serves
 * its calls on the loop it was opened on. A call from loop A on a connection of loop B crosses
 * threads on the way out, on the way back and, for a stream, at every chunk; each crossing to a loop
 * asleep in {@code epoll_wait} is a wake-up (an eventfd write, a context switch). On the gateway,
 * five paced streams made 137 such wake-ups, and 4 with lanes (see {@code docs/PERFORMANCE.md}).
 * <p>
 * The provider's {@code max-connections} stays the cap over all lanes: it is split among them, and a
 * call whose own lane has its share in flight, or that is made off the loops (a blocking caller),
 * takes the lane with the fewest calls in flight, which is what one shared pool did. With fewer
 * connections allowed than there are loops, there is one lane, unbound to any loop. Calls are
 * counted from the lane's pick to their end, which comes after the connection went back to the pool,
 * so a lane counted below its share has a connection free.
 */
final class EventLoopLanes implements AutoCloseable {

	/** The most endpoints whose POST each lane keeps built (see {@link Lane#sender}). */
	private static final int MAX_SENDERS = 256;

	private final String name;

	private final Supplier<EventLoopGroup> loops;

	private final int maxConnections;

	private final Function<ConnectionProvider.Builder, ConnectionProvider.Builder> pool;

	private final Function<ConnectionProvider, HttpClient> client;

	/**
	 * Built on the first call, since the loops may not exist yet when the provider is created, and again
	 * once they were shut down (Reactor Netty's shared loops are made anew after an application context
	 * that owned them closed).
	 */
	private volatile Lane @Nullable [] lanes;

	/**
	 * Lanes on Reactor Netty's shared client loops, where Spring Boot's server runs too.
	 * @param name the provider's name, for the pools' names
	 * @param maxConnections the cap over all lanes
	 * @param pool the provider's pool settings, apart from the cap
	 * @param client the provider's client settings over a pool
	 */
	EventLoopLanes(String name, int maxConnections,
			Function<ConnectionProvider.Builder, ConnectionProvider.Builder> pool,
			Function<ConnectionProvider, HttpClient> client) {
		this(name, () -> HttpResources.get().onClient(LoopResources.DEFAULT_NATIVE), maxConnections, pool, client);
	}

	/**
	 * @param name the provider's name, for the pools' names
	 * @param loops the event loops, asked again when the ones it gave were shut down
	 * @param maxConnections the cap over all lanes
	 * @param pool the provider's pool settings, apart from the cap
	 * @param client the provider's client settings over a pool
	 */
	EventLoopLanes(String name, Supplier<EventLoopGroup> loops, int maxConnections,
			Function<ConnectionProvider.Builder, ConnectionProvider.Builder> pool,
			Function<ConnectionProvider, HttpClient> client) {
		this.name = name;
		this.loops = loops;
		this.maxConnections = maxConnections;
		this.pool = pool;
		this.client = client;
	}

	/**
	 * Posts through the lane of the calling thread's loop, or the least busy one.
	 * @param uri where to post
	 * @param headers the call's fixed headers
	 * @param send sends the request and reads its answer with the given sender
	 * @return the answer, counted in its lane until it ends
	 */
	<T> Flux<T> post(URI uri, FixedRequestHeaders headers, Function<HttpClient.RequestSender, Flux<T>> send) {
		Lane lane = pick();
		lane.inFlight.incrementAndGet();
		return send.apply(lane.sender(uri, headers)).doFinally((signal) -> lane.inFlight.decrementAndGet());
	}

	private Lane pick() {
		Lane[] lanes = lanes();
		Lane least = lanes[0];
		for (Lane lane : lanes) {
			int inFlight = lane.inFlight.get();
			if (lane.loop != null && lane.loop.inEventLoop() && inFlight < lane.share) {
				return lane;
			}
			if (inFlight < least.inFlight.get()) {
				least = lane;
			}
		}
		return least;
	}

	private Lane[] lanes() {
		Lane[] lanes = this.lanes;
		if (lanes == null || lanes[0].retired()) {
			synchronized (this) {
				lanes = this.lanes;
				if (lanes == null || lanes[0].retired()) {
					if (lanes != null) {
						close(lanes);
					}
					lanes = open();
					this.lanes = lanes;
				}
			}
		}
		return lanes;
	}

	private Lane[] open() {
		List<EventLoop> loops = new ArrayList<>();
		for (EventExecutor executor : this.loops.get()) {
			if (executor instanceof EventLoop loop) {
				loops.add(loop);
			}
		}
		if (loops.isEmpty() || this.maxConnections < loops.size()) {
			return new Lane[] { new Lane(null, this.maxConnections, poolOf(this.maxConnections, ""), this.client) };
		}
		Lane[] lanes = new Lane[loops.size()];
		for (int i = 0; i < lanes.length; i++) {
			// The remainder of the split goes to the first lanes, so the shares add up to the cap.
			int share = this.maxConnections / lanes.length + ((i < this.maxConnections % lanes.length) ? 1 : 0);
			EventLoop loop = loops.get(i);
			lanes[i] = new Lane(loop, share, poolOf(share, "-" + i),
					(connections) -> this.client.apply(connections).runOn(new OneLoop(loop)));
		}
		return lanes;
	}

	private ConnectionProvider poolOf(int share, String suffix) {
		return this.pool.apply(ConnectionProvider.builder("llm-fallback-" + this.name + suffix)).maxConnections(share).build();
	}

	/** @return each lane's share of the connections, in the order of the loops (for tests) */
	int[] shares() {
		Lane[] lanes = lanes();
		int[] shares = new int[lanes.length];
		for (int i = 0; i < lanes.length; i++) {
			shares[i] = lanes[i].share;
		}
		return shares;
	}

	/** Closes every lane's pooled connections; the loops are Reactor Netty's and stay. */
	@Override
	public void close() {
		Lane[] lanes = this.lanes;
		if (lanes != null) {
			close(lanes);
		}
	}

	private static void close(Lane[] lanes) {
		for (Lane lane : lanes) {
			lane.connections.disposeLater().subscribe();
		}
	}

	/** One loop's pool, client and built POSTs. */
	private static final class Lane {

		private final @Nullable EventLoop loop;

		private final int share;

		private final ConnectionProvider connections;

		private final HttpClient client;

		private final AtomicInteger inFlight = new AtomicInteger();

		/**
		 * A POST to each endpoint with each set of fixed headers, built once: every step of Reactor Netty's
		 * fluent request copies the client's whole configuration, three copies per call (0.45 % of the
		 * gateway's CPU; the lookup costs 0.2 %), and headers in the configuration are copied into each
		 * request without being validated again. An adapter posts to a few endpoints (one per model on
		 * some formats) with two sets of headers (answer and stream); past {@link #MAX_SENDERS} the rest
		 * are built per call.
		 */
		private final Map<Endpoint, HttpClient.RequestSender> senders = new ConcurrentHashMap<>();

		Lane(@Nullable EventLoop loop, int share, ConnectionProvider connections,
				Function<ConnectionProvider, HttpClient> client) {
			this.loop = loop;
			this.share = share;
			this.connections = connections;
			this.client = client.apply(connections);
		}

		/** @return whether this lane's loop was shut down (a lane of no loop never is) */
		boolean retired() {
			return this.loop != null && this.loop.isShuttingDown();
		}

		HttpClient.RequestSender sender(URI uri, FixedRequestHeaders headers) {
			Endpoint endpoint = new Endpoint(uri, headers);
			HttpClient.RequestSender sender = this.senders.get(endpoint);
			if (sender == null) {
				// setAll: compress(true) put Accept-Encoding among the client's headers.
				sender = this.client.headers((defaults) -> defaults.setAll(headers.netty())).post().uri(uri);
				if (this.senders.size() < MAX_SENDERS) {
					this.senders.putIfAbsent(endpoint, sender);
				}
			}
			return sender;
		}

	}

	/** A key of a lane's senders: the headers by identity, since each set is built once. */
	private record Endpoint(URI uri, FixedRequestHeaders headers) {
	}

	/** One loop of the shared ones, for one lane's connections; disposing it leaves the loop running. */
	private record OneLoop(EventLoop loop) implements LoopResources {

		@Override
		public EventLoopGroup onServer(boolean useNative) {
			return this.loop;
		}

	}

}
