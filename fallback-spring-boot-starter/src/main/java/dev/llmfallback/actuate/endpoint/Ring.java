package dev.llmfallback.actuate.endpoint;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * A bounded, lock-free ring of the newest items: adding never blocks and allocates one entry; the
 * oldest item makes room for the newest. Shared by {@link RecentHops} and {@link RecentOutcomes}.
 *
 * @param <T> the items kept
 */
final class Ring<T> {

	private final AtomicReferenceArray<Entry<T>> slots;

	private final AtomicLong written = new AtomicLong();

	Ring(int capacity) {
		if (capacity < 0) {
			throw new IllegalArgumentException("'capacity' must not be negative, was " + capacity);
		}
		this.slots = new AtomicReferenceArray<>(capacity);
	}

	void add(T item) {
		if (this.slots.length() > 0) {
			long sequence = this.written.getAndIncrement();
			this.slots.set(slot(sequence), new Entry<>(sequence, item));
		}
	}

	List<T> newestFirst() {
		long end = this.written.get();
		long start = Math.max(0, end - this.slots.length());
		List<T> items = new ArrayList<>((int) (end - start));
		for (long sequence = end - 1; sequence >= start; sequence--) {
			Entry<T> entry = this.slots.get(slot(sequence));
			// A slot may be mid-write or already reused by a newer item: skip it rather than misorder.
			if (entry != null && entry.sequence == sequence) {
				items.add(entry.item);
			}
		}
		return items;
	}

	private int slot(long sequence) {
		return (int) (sequence % this.slots.length());
	}

	private record Entry<T>(long sequence, T item) {
	}

}
