package dev.llmfallback.sample.simulator;

import java.time.Duration;

import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How one simulated provider behaves: the share of calls that fail each way, and its pace. Shares
 * are taken in this order from one roll: rate limited, overloaded, stalled, reset, slow; a streamed
 * answer may then be truncated or broken by an error event.
 *
 * @param rateLimited share of calls answered 429
 * @param overloaded share answered 503 (OpenAI) or 529 (Anthropic)
 * @param stalled share accepted and never answered
 * @param reset share whose connection is reset (TCP RST) before any answer
 * @param slow share answered only after {@code slowDelay}
 * @param truncated share of streams that end after a few chunks without their terminal marker
 * @param midStreamError share of streams that send an error event after a few chunks
 * @param retryAfterChance chance that a 429 carries {@code Retry-After}
 * @param slowDelay the delay of a slow answer
 * @param latency the delay of every other answer (and of each error)
 * @param chunkInterval the pause between streamed chunks
 * @param contextWindow prompts estimated larger (about four characters a token) get a
 * context-length error
 * @param retryAfter the wait a 429 asks for
 */
public record SimulatedBehaviour(@DefaultValue("0") double rateLimited, @DefaultValue("0") double overloaded,
		@DefaultValue("0") double stalled, @DefaultValue("0") double reset, @DefaultValue("0") double slow,
		@DefaultValue("0") double truncated, @DefaultValue("0") double midStreamError,
		@DefaultValue("1") double retryAfterChance, @DefaultValue("3s") Duration slowDelay,
		@DefaultValue("30ms") Duration latency, @DefaultValue("15ms") Duration chunkInterval,
		@DefaultValue("200000") int contextWindow, @DefaultValue("1s") Duration retryAfter) {

	/** Never fails, answers quickly. */
	public static SimulatedBehaviour healthy() {
		return new SimulatedBehaviour(0, 0, 0, 0, 0, 0, 0, 1, Duration.ofSeconds(3), Duration.ofMillis(30),
				Duration.ofMillis(15), 200_000, Duration.ofSeconds(1));
	}

}
