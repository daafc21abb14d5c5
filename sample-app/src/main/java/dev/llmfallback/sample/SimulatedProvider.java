package dev.llmfallback.sample;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import dev.llmfallback.ErrorCategory;
import dev.llmfallback.LlmException;
import dev.llmfallback.Usage;
import dev.llmfallback.provider.ChatProvider;
import dev.llmfallback.provider.ProviderChunk;
import dev.llmfallback.provider.ProviderRequest;
import dev.llmfallback.provider.ProviderResponse;

/**
 * An in-memory provider that fails the way real ones do, in set proportions: 429 with
 * {@code Retry-After}, 503 overloads, and otherwise a short answer after a small delay.
 */
final class SimulatedProvider implements ChatProvider {

	private final String name;

	private final double rateLimited;

	private final double overloaded;

	private final Duration latency;

	SimulatedProvider(String name, double rateLimited, double overloaded, Duration latency) {
		this.name = name;
		this.rateLimited = rateLimited;
		this.overloaded = overloaded;
		this.latency = latency;
	}

	@Override
	public String name() {
		return this.name;
	}

	@Override
	public String type() {
		return "simulated";
	}

	@Override
	public Mono<ProviderResponse> chat(ProviderRequest request) {
		return Mono.defer(() -> {
			double roll = ThreadLocalRandom.current().nextDouble();
			if (roll < this.rateLimited) {
				return Mono.error(LlmException.builder(ErrorCategory.RATE_LIMIT)
					.httpStatus(429)
					.retryAfter(Duration.ofSeconds(1))
					.message("Rate limit reached for " + request.model())
					.build());
			}
			if (roll < this.rateLimited + this.overloaded) {
				return Mono.error(LlmException.builder(ErrorCategory.SERVICE_UNAVAILABLE)
					.httpStatus(503)
					.message("The server is overloaded")
					.build());
			}
			String prompt = request.request().messages().get(request.request().messages().size() - 1).content();
			String answer = "[" + request.model() + "] You said: " + prompt;
			return Mono.just(new ProviderResponse(answer, "stop", request.model(),
					Usage.of(prompt.length() / 4 + 1, answer.length() / 4 + 1)))
				.delayElement(this.latency);
		});
	}

	@Override
	public Flux<ProviderChunk> stream(ProviderRequest request) {
		return chat(request).flatMapMany((response) -> Flux.fromArray(response.content().split("(?<= )"))
			.map(ProviderChunk::text)
			.concatWithValues(ProviderChunk.finish("stop", response.usage())));
	}

}
