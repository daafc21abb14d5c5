package dev.llmfallback.provider.http;

import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.netty.util.concurrent.FastThreadLocalThread;
import org.junit.jupiter.api.Test;
import tools.jackson.core.util.BufferRecycler;

import static org.assertj.core.api.Assertions.assertThat;

class EventLoopRecyclerPoolTests {

	private final EventLoopRecyclerPool pool = EventLoopRecyclerPool.INSTANCE;

	@Test
	void anEventLoopThreadKeepsOneUnlinkedSetOfBuffers() throws Exception {
		BufferRecycler[] seen = onEventLoopThread(() -> {
			BufferRecycler first = this.pool.acquireAndLinkPooled();
			first.releaseToPool();
			BufferRecycler second = this.pool.acquireAndLinkPooled();
			return new BufferRecycler[] { first, second, this.pool.acquirePooled() };
		});
		assertThat(seen[0]).isSameAs(seen[1]).isSameAs(seen[2]);
		assertThat(seen[0].isLinkedWithPool()).isFalse();
		BufferRecycler otherLoop = onEventLoopThread(this.pool::acquireAndLinkPooled);
		assertThat(otherLoop).isNotSameAs(seen[0]);
	}

	@Test
	void anyOtherThreadBorrowsFromTheSharedPoolAndGivesBack() {
		BufferRecycler borrowed = this.pool.acquireAndLinkPooled();
		assertThat(borrowed.isLinkedWithPool()).isTrue();
		borrowed.releaseToPool();
		assertThat(borrowed.isLinkedWithPool()).isFalse();
	}

	@Test
	void theMapperReadsAndWritesOnBothKindsOfThread() throws Exception {
		String json = "{\"a\":[1,2.5,\"é\"]}";
		assertThat(Json.MAPPER.writeValueAsString(Json.MAPPER.readTree(json))).isEqualTo(json);
		assertThat(onEventLoopThread(() -> Json.MAPPER.writeValueAsString(Json.MAPPER.readValue(json, Map.class))))
			.isEqualTo(json);
	}

	/** Runs on a thread of the kind Netty's event loops run on. */
	private static <T> T onEventLoopThread(Callable<T> work) throws Exception {
		CompletableFuture<T> result = new CompletableFuture<>();
		Thread thread = new FastThreadLocalThread(() -> {
			try {
				result.complete(work.call());
			}
			catch (Throwable ex) {
				result.completeExceptionally(ex);
			}
		});
		thread.start();
		return result.get(10, TimeUnit.SECONDS);
	}

}
