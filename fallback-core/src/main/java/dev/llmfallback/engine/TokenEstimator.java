package dev.llmfallback.engine;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;

import dev.llmfallback.ChatMessage;
import dev.llmfallback.ChatRequest;
import dev.llmfallback.ResponseFormat;
import dev.llmfallback.Tool;
import dev.llmfallback.ToolCall;

/**
 * Counts a request's prompt tokens with a real BPE tokenizer (jtokkit's {@code o200k_base}, the
 * encoding of current OpenAI models), plus the per-message framing chat formats add. Other
 * providers' tokenizers differ by a few percent; the count is an estimate for the context-window
 * pre-check, not a bill.
 *
 * <p>Everything a provider receives as input counts: the messages' text, the assistant's tool calls
 * (name and arguments), tool results and the ids that tie them to their calls, the tool definitions
 * (name, description and the JSON text of the parameters schema) and a response schema. Images are
 * not counted here: their cost differs per provider ({@code ChatProvider.imageTokens()}), so the
 * walk adds {@code images × that figure} per model.
 *
 * <p>Counting is skipped when a cheap bound already shows the prompt fits: a BPE token covers at
 * least one UTF-8 byte, and a UTF-16 char is at most three bytes, so a prompt has at most
 * {@code 3 × chars} tokens (a schema is bounded by its JSON text's bytes without writing it).
 * Thread-safe.
 */
public final class TokenEstimator {

	/** Tokens each message adds for its role and delimiters (OpenAI's documented count). */
	static final int TOKENS_PER_MESSAGE = 3;

	/** Tokens that prime the assistant's reply. */
	static final int REPLY_PRIMING_TOKENS = 3;

	/** Tokens each tool definition or tool call adds for its framing (a rough figure; formats differ). */
	static final int TOKENS_PER_TOOL = 8;

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
			for (ToolCall call : message.toolCalls()) {
				tokens += TOKENS_PER_TOOL + this.encoding.countTokensOrdinary(call.id())
						+ this.encoding.countTokensOrdinary(call.name())
						+ this.encoding.countTokensOrdinary(call.arguments());
			}
			if (message.toolCallId() != null) {
				tokens += this.encoding.countTokensOrdinary(message.toolCallId());
			}
		}
		for (Tool tool : request.tools()) {
			tokens += TOKENS_PER_TOOL + this.encoding.countTokensOrdinary(tool.name())
					+ ((tool.description() != null) ? this.encoding.countTokensOrdinary(tool.description()) : 0)
					+ this.encoding.countTokensOrdinary(JsonText.of(tool.parameters()));
		}
		if (request.responseFormat() instanceof ResponseFormat.JsonSchema schema) {
			tokens += TOKENS_PER_TOOL + this.encoding.countTokensOrdinary(schema.name())
					+ this.encoding.countTokensOrdinary(JsonText.of(schema.schema()));
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
			for (ToolCall call : message.toolCalls()) {
				bound += TOKENS_PER_TOOL + 3L * (call.id().length() + call.name().length() + call.arguments().length());
			}
			if (message.toolCallId() != null) {
				bound += 3L * message.toolCallId().length();
			}
		}
		for (Tool tool : request.tools()) {
			bound += TOKENS_PER_TOOL + 3L * tool.name().length()
					+ ((tool.description() != null) ? 3L * tool.description().length() : 0)
					+ JsonText.maxBytes(tool.parameters());
		}
		if (request.responseFormat() instanceof ResponseFormat.JsonSchema schema) {
			bound += TOKENS_PER_TOOL + 3L * schema.name().length() + JsonText.maxBytes(schema.schema());
		}
		return bound;
	}

}
