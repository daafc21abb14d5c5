package dev.llmfallback.provider.http;

import java.util.List;
import java.util.function.Function;

import dev.llmfallback.ChatRequest;
import dev.llmfallback.LlmException;
import dev.llmfallback.provider.ProviderRequest;
import dev.llmfallback.provider.ProviderResponse;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A wire format's chat mapping, domain to wire JSON and back: the request body, a whole answer,
 * a streamed answer's events. Pure: no HTTP, no state between calls (a decoder holds one stream's
 * state). Each format implements it once, in its {@code XxxMessages} class.
 *
 * <p>Public: implemented in each format's package.
 */
public interface ChatMapping {

	/**
	 * The request body.
	 * @param request the call
	 * @param stream whether the answer is streamed
	 * @return the body
	 */
	ObjectNode body(ProviderRequest request, boolean stream);

	/**
	 * Maps a successful answer.
	 * @param provider the configured provider name, for the failures it raises
	 * @param answer the answer's JSON
	 * @return the response
	 * @throws LlmException where the answer carries no usable content (a safety block, no choices;
	 * see {@link AnswerFailures})
	 */
	ProviderResponse response(String provider, JsonNode answer);

	/**
	 * A decoder for one streamed answer.
	 * @param request the call
	 * @param provider the configured provider name, for the failures it raises
	 * @param errors classifies an error the format reports inside an ordinary event
	 * @return the decoder
	 */
	StreamDecoder decoder(ProviderRequest request, String provider, Function<ProviderError, LlmException> errors);

	/**
	 * The parts of a request this format has no equivalent for (see
	 * {@link dev.llmfallback.provider.ChatProvider#unsupportedParams}); {@link #body} leaves the
	 * same parts out when the request allows dropping, and otherwise fails with category
	 * {@code unsupported}.
	 * @param request the caller's request
	 * @return the names, empty when the format carries everything
	 */
	default List<String> unsupportedParams(ChatRequest request) {
		return List.of();
	}

}
