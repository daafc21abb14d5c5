package dev.llmfallback.engine;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;

import dev.llmfallback.ChatMessage;
import dev.llmfallback.ChatRequest;

/**
 * Counts a request's prompt tokens with a real BPE tokenizer (jtokkit's {@code o200k_base}, the
 * encoding of current OpenAI models), plus the per-message framing chat formats add. Other
 * providers' tokenizers differ by a few percent; the count is an estimate for the context-window
 * pre-check, not a bill.
 *
 * <p>Counting is skipped when a cheap bound already shows the prompt fits: a BPE token covers at
 * least one UTF-8 byte, and a UTF-16 char is at most three bytes, so a prompt has at most
 * {@code 3 × chars} tokens. Thread-safe.
 */
public final class TokenEstimator {

	/** Tokens each message adds for its role and delimiters (OpenAI's documented count). */
	static final int TOKENS_PER_MESSAGE = 3;

	/** Tokens that prime the assistant's reply. */
	static final int REPLY_PRIMING_TOKENS = 3;

	private static final class Holder {

		// Loaded on first use, off any request path: the engine builder touches it at start-up.
		static final TokenEstimator INSTANCE = new TokenEstimator(
				Encodings.newLazyEncodingRegistry().getEncoding(EncodingType.O200K_BASE));

	}

	private final Encoding encoding;

	private TokenEstimator(Encoding encoding) {
		this.encoding = encoding;
	}

	/** @return the shared estimator (its encoding loads once, on first call) */
	public static TokenEstimator shared() {
		return Holder.INSTANCE;
	}

	/**
	 * Counts the prompt's tokens.
	 * @param request the request
	 * @return the estimated input tokens
	 */
	public int estimate(ChatRequest request) {
		long tokens = REPLY_PRIMING_TOKENS;
		for (ChatMessage message : request.messages()) {
			tokens += TOKENS_PER_MESSAGE + this.encoding.countTokensOrdinary(message.content());
		}
		return (int) Math.min(Integer.MAX_VALUE, tokens);
	}

	/**
	 * Counts one text's tokens, without chat framing (an embedding input).
	 * @param text the text
	 * @return the estimated tokens
	 */
	public int estimate(String text) {
		return this.encoding.countTokensOrdinary(text);
	}

	/**
	 * A bound that the token count never exceeds, computed without tokenizing.
	 * @param request the request
	 * @return at least {@link #estimate(ChatRequest)}
	 */
	public static long upperBound(ChatRequest request) {
		long bound = REPLY_PRIMING_TOKENS;
		for (ChatMessage message : request.messages()) {
			bound += TOKENS_PER_MESSAGE + 3L * message.content().length();
		}
		return bound;
	}

}
