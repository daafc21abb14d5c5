package dev.llmfallback;

/**
 * Token counts a provider reported for one answer.
 *
 * @param inputTokens tokens of the prompt
 * @param outputTokens tokens of the answer
 * @param totalTokens both together (as reported; providers may count extra tokens)
 */
public record Usage(long inputTokens, long outputTokens, long totalTokens) {

	public Usage {
		if (inputTokens < 0 || outputTokens < 0 || totalTokens < 0) {
			throw new IllegalArgumentException("token counts must not be negative");
		}
	}

	/**
	 * Usage whose total is the sum of input and output.
	 * @param inputTokens tokens of the prompt
	 * @param outputTokens tokens of the answer
	 * @return the usage
	 */
	public static Usage of(long inputTokens, long outputTokens) {
		return new Usage(inputTokens, outputTokens, inputTokens + outputTokens);
	}

}
