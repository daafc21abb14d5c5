package dev.llmfallback.provider.http;

import io.netty.util.concurrent.FastThreadLocal;
import io.netty.util.concurrent.FastThreadLocalThread;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.core.util.BufferRecycler;
import tools.jackson.core.util.JsonRecyclerPools;
import tools.jackson.core.util.RecyclerPool;

/**
 * Jackson's buffers for the provider mappings: one set per Netty event-loop thread, where nearly
 * every request body is written and every answer and stream event parsed, and Jackson's shared
 * deque pool on any other thread.
 * <p>
 * Why not Jackson's default, the deque pool everywhere: its two atomic operations per use, at five
 * uses per proxied request, were 1.4 % of the gateway's CPU. Why not Jackson's thread-local pool
 * everywhere: a caller's virtual thread lives for one call, so it would make a new set of buffers
 * per call. One set serves nested uses on a thread too: {@link BufferRecycler} hands each buffer out
 * once and makes a new one for a second taker.
 */
public final class EventLoopRecyclerPool implements RecyclerPool<BufferRecycler> {

	private static final long serialVersionUID = 1L;

	/** The pool. */
	public static final EventLoopRecyclerPool INSTANCE = new EventLoopRecyclerPool();

	private static final FastThreadLocal<BufferRecycler> EVENT_LOOP_BUFFERS = new FastThreadLocal<>() {
		@Override
		protected BufferRecycler initialValue() {
			return new BufferRecycler();
		}
	};

	private static final RecyclerPool<BufferRecycler> SHARED = JsonRecyclerPools.sharedConcurrentDequePool();

	private EventLoopRecyclerPool() {
	}

	/** @return a JSON factory, with Jackson's defaults, whose buffers come from this pool */
	public static JsonFactory jsonFactory() {
		return JsonFactory.builder().recyclerPool(INSTANCE).build();
	}

	@Override
	public BufferRecycler acquirePooled() {
		return onEventLoop() ? EVENT_LOOP_BUFFERS.get() : SHARED.acquirePooled();
	}

	@Override
	public BufferRecycler acquireAndLinkPooled() {
		// An event loop's set is never linked, so giving it back is nothing; a shared one goes back to SHARED.
		return onEventLoop() ? EVENT_LOOP_BUFFERS.get() : SHARED.acquireAndLinkPooled();
	}

	@Override
	public void releasePooled(BufferRecycler recycler) {
		if (!onEventLoop() || recycler != EVENT_LOOP_BUFFERS.getIfExists()) {
			SHARED.releasePooled(recycler);
		}
	}

	private static boolean onEventLoop() {
		return FastThreadLocalThread.currentThreadHasFastThreadLocal();
	}

	private Object readResolve() {
		return INSTANCE;
	}

}
