package dev.llmfallback.provider.http;

import dev.llmfallback.LlmException;
import dev.llmfallback.Usage;
import dev.llmfallback.provider.ProviderChunk;
import org.jspecify.annotations.Nullable;

/**
 * The state every format's stream decoder keeps: whether the terminal marker came, the finish
 * reason, the model and the latest usage, and the last chunk made of them. A format's decoder
 * reads its events into these fields and says when it is complete.
 *
 * <p>Public: the decoders live in the formats' packages.
 */
public abstract class AbstractStreamDecoder implements StreamDecoder {

	/** The configured provider name, for the failures the decoder raises. */
	protected final String provider;

	/** Whether the format's terminal marker has arrived. */
	protected boolean done;

	/** The provider's finish reason, as it spells it. */
	protected @Nullable String finishReason;

	/** The model the provider named. */
	protected @Nullable String model;

	/** The latest usage. */
	protected @Nullable Usage usage;

	/**
	 * A decoder for one stream of a provider.
	 * @param provider the configured provider name
	 */
	protected AbstractStreamDecoder(String provider) {
		this.provider = provider;
	}

	/**
	 * An answer the provider blocked on safety grounds.
	 * @param reason what the provider said
	 * @return the exception (not thrown)
	 */
	protected LlmException blocked(String reason) {
		return AnswerFailures.contentBlocked(this.provider, reason);
	}

	/**
	 * Keeps a model name an event carries.
	 * @param model the name, or {@code null} or empty where the event names none
	 */
	protected void keepModel(@Nullable String model) {
		if (model != null && !model.isEmpty()) {
			this.model = model;
		}
	}

	/**
	 * Keeps the usage an event carries.
	 * @param usage the usage, or {@code null} where the event has none
	 */
	protected void keepUsage(@Nullable Usage usage) {
		if (usage != null) {
			this.usage = usage;
		}
	}

	@Override
	public boolean isComplete() {
		return this.done;
	}

	@Override
	public @Nullable ProviderChunk finish() {
		return new ProviderChunk("", FinishReasons.normalize(this.finishReason), this.model, this.usage);
	}

}
