package dev.llmfallback.policy;

/**
 * A configuration that cannot work: an unknown name, an empty chain, a cycle, an out-of-range value.
 * Names the property at fault (relative to {@code llm.fallback}, e.g. {@code policies.chat.models[1]}),
 * says what is wrong and what to do about it, so that start-up fails with a message a person can act on.
 */
public class FallbackConfigurationException extends IllegalArgumentException {

	private final String property;

	private final String problem;

	private final String action;

	public FallbackConfigurationException(String property, String problem, String action) {
		super("Invalid configuration '" + property + "': " + problem + ". " + action);
		this.property = property;
		this.problem = problem;
		this.action = action;
	}

	/** @return the property at fault, relative to {@code llm.fallback} */
	public String property() {
		return this.property;
	}

	/** @return what is wrong */
	public String problem() {
		return this.problem;
	}

	/** @return what to do about it */
	public String action() {
		return this.action;
	}

	/**
	 * The same problem, reported under an enclosing property (e.g. {@code policies.chat.} before
	 * {@code retry.max-retries}).
	 * @param prefix the enclosing path, ending with a dot
	 * @return a new exception
	 */
	public FallbackConfigurationException under(String prefix) {
		return new FallbackConfigurationException(prefix + this.property, this.problem, this.action);
	}

}
