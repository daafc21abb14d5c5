package dev.llmfallback.actuate.endpoint;

import org.junit.jupiter.api.Test;

import dev.llmfallback.event.CooldownEndedEvent;
import dev.llmfallback.event.HopEvent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class RecentHopsTests {

	@Test
	void keepsTheNewestHopsUpToItsCapacity() {
		RecentHops hops = new RecentHops(3);
		for (int i = 1; i <= 5; i++) {
			hops.onEvent(new HopEvent("chat", "m" + i, "m" + (i + 1), "rate_limit"));
		}
		assertThat(hops.newestFirst()).extracting(RecentHops.Hop::from).containsExactly("m5", "m4", "m3");
	}

	@Test
	void ignoresOtherEvents() {
		RecentHops hops = new RecentHops(3);
		hops.onEvent(new CooldownEndedEvent("m", "p", CooldownEndedEvent.RESET));
		assertThat(hops.newestFirst()).isEmpty();
	}

	@Test
	void aCapacityOfZeroKeepsNothing() {
		RecentHops hops = new RecentHops(0);
		hops.onEvent(new HopEvent("chat", "a", "b", "timeout"));
		assertThat(hops.newestFirst()).isEmpty();
	}

	@Test
	void aNegativeCapacityIsRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> new RecentHops(-1));
	}

}
