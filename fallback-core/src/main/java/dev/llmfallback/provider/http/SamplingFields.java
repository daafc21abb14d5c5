package dev.llmfallback.provider.http;

import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import dev.llmfallback.ChatRequest;
import org.jspecify.annotations.Nullable;

/**
 * Where a wire protocol puts the request's generation parameters (temperature, most output tokens,
 * nucleus sampling, stop sequences). A {@code null} name leaves that parameter to the adapter.
 *
 * <p>Public for the per-format mappings in their own packages.
 *
 * @param temperature the temperature field
 * @param maxTokens the field for the most output tokens
 * @param topP the nucleus sampling field
 * @param stop the stop sequences field
 */
public record SamplingFields(@Nullable String temperature, @Nullable String maxTokens, @Nullable String topP,
		@Nullable String stop) {

	/**
	 * Writes the parameters the request sets into {@code target}; unset ones are left out.
	 * @param chat the request
	 * @param target the object that holds them (the body, or a nested options object)
	 */
	public void write(ChatRequest chat, ObjectNode target) {
		if (this.temperature != null && chat.temperature() != null) {
			target.put(this.temperature, chat.temperature());
		}
		if (this.maxTokens != null && chat.maxTokens() != null) {
			target.put(this.maxTokens, chat.maxTokens());
		}
		if (this.topP != null && chat.topP() != null) {
			target.put(this.topP, chat.topP());
		}
		if (this.stop != null && !chat.stop().isEmpty()) {
			ArrayNode stop = target.putArray(this.stop);
			chat.stop().forEach(stop::add);
		}
	}

}
