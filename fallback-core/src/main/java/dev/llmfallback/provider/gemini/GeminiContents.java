package dev.llmfallback.provider.gemini;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.llmfallback.ChatMessage;
import dev.llmfallback.ContentPart;
import dev.llmfallback.ErrorCategory;
import dev.llmfallback.LlmException;
import dev.llmfallback.Role;
import dev.llmfallback.ToolCall;
import dev.llmfallback.provider.http.OpenAiParams;
import dev.llmfallback.provider.http.Json;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The conversation as Gemini's {@code contents} (https://ai.google.dev/api/caching#Content):
 * <ul>
 * <li>text parts as {@code text}, base64 images as {@code inlineData {mimeType, data}}, an image
 * uploaded with the Files API (its {@code https://generativelanguage.googleapis.com/...} URI) as
 * {@code fileData {fileUri}} (the file's MIME type is known there: the field is optional); any
 * other image by URL has no equivalent (Gemini does not fetch arbitrary URLs), so it is named
 * {@code image_url} and, when dropping is allowed, left out;</li>
 * <li>assistant turns (role {@code model}) with their tool calls as {@code functionCall {name,
 * args}} parts; the first call of a turn carries the documented placeholder thought signature,
 * since the model's own signature is not kept across turns and Gemini 3 refuses a call without
 * one (https://docs.cloud.google.com/vertex-ai/generative-ai/docs/thought-signatures);</li>
 * <li>tool results as {@code functionResponse {name, response}} parts, consecutive ones in one
 * {@code user} turn, in order. Gemini links a result to its call by name and order, so the name
 * comes from the earlier assistant call with the message's {@code toolCallId}; ids themselves are
 * not sent. {@code response} must be an object: a result that is a JSON object goes as it is,
 * anything else as {@code {"result": <its JSON, or its text>}}.</li>
 * </ul>
 */
final class GeminiContents {

	/** Where the Files API keeps uploaded files: https://ai.google.dev/api/files#File. */
	static final String FILES_API = "https://generativelanguage.googleapis.com/";

	/** The placeholder Google documents for calls whose signature is not at hand. */
	static final String PLACEHOLDER_SIGNATURE = "skip_thought_signature_validator";

	private GeminiContents() {
	}

	/**
	 * Adds the names of what the conversation holds that Gemini cannot carry: author names
	 * ({@code messages[].name}; Gemini's Content has none) and images by URL ({@code image_url}).
	 * @param messages the conversation
	 * @param names receives the names
	 */
	static void unsupported(List<ChatMessage> messages, List<String> names) {
		// No author names; a resolution per request (mediaResolution), not a detail hint per image.
		OpenAiParams.messageFields(messages, false, names);
		boolean urlImage = false;
		for (ChatMessage message : messages) {
			for (ContentPart part : message.parts()) {
				urlImage |= part instanceof ContentPart.Image image && !image.isData() && !isFile(image);
			}
		}
		if (urlImage) {
			names.add("image_url");
		}
	}

	/**
	 * Writes {@code contents}, collecting system messages apart.
	 * @param contents the array to fill
	 * @param messages the conversation
	 * @param system receives the system messages' text
	 * @throws LlmException ({@code bad_request}) for tool-call arguments that are not a JSON
	 * object, or a tool result whose call id no earlier assistant message made
	 */
	static void write(ArrayNode contents, List<ChatMessage> messages, List<String> system) {
		Map<String, String> names = new HashMap<>();
		ArrayNode results = null;
		for (ChatMessage message : messages) {
			if (message.role() == Role.SYSTEM) {
				system.add(message.content());
				continue;
			}
			if (message.role() == Role.TOOL && message.toolCallId() != null) {
				if (results == null) {
					results = contents.addObject().put("role", "user").putArray("parts");
				}
				results.addObject().set("functionResponse", functionResponse(message, names));
				continue;
			}
			results = null;
			boolean model = message.role() == Role.ASSISTANT;
			ArrayNode parts = Json.MAPPER.createArrayNode();
			for (ContentPart part : message.parts()) {
				if (part instanceof ContentPart.Text text) {
					if (!text.text().isEmpty() || message.toolCalls().isEmpty()) {
						parts.addObject().put("text", text.text());
					}
				}
				else if (part instanceof ContentPart.Image image && image.isData()) {
					parts.addObject().putObject("inlineData").put("mimeType", image.mediaType()).put("data", image.data());
				}
				else if (part instanceof ContentPart.Image image && isFile(image)) {
					parts.addObject().putObject("fileData").put("fileUri", image.url());
				}
			}
			for (int i = 0; i < message.toolCalls().size(); i++) {
				ToolCall call = message.toolCalls().get(i);
				names.put(call.id(), call.name());
				ObjectNode part = parts.addObject();
				part.putObject("functionCall").put("name", call.name()).set("args", arguments(call));
				if (i == 0) {
					part.put("thoughtSignature", PLACEHOLDER_SIGNATURE);
				}
			}
			if (parts.isEmpty() && message.parts().isEmpty()) {
				parts.addObject().put("text", "");
			}
			if (!parts.isEmpty()) {
				contents.addObject().put("role", model ? "model" : "user").set("parts", parts);
			}
		}
	}

	private static boolean isFile(ContentPart.Image image) {
		return image.url() != null && image.url().startsWith(FILES_API);
	}

	private static ObjectNode functionResponse(ChatMessage message, Map<String, String> names) {
		String name = names.get(message.toolCallId());
		if (name == null) {
			throw badRequest("a tool message answers call id '" + message.toolCallId()
					+ "', which no earlier assistant message made (Gemini links a result to its call by the call's name)");
		}
		ObjectNode response = Json.object();
		response.put("name", name);
		String content = message.content();
		JsonNode parsed = parse(content);
		if (parsed != null && parsed.isObject()) {
			response.set("response", parsed);
		}
		else if (parsed != null) {
			response.putObject("response").set("result", parsed);
		}
		else {
			response.putObject("response").put("result", content);
		}
		return response;
	}

	private static JsonNode arguments(ToolCall call) {
		JsonNode args = parse(call.arguments());
		if (args == null || !args.isObject()) {
			throw badRequest("the arguments of tool call '" + call.id() + "' (" + call.name()
					+ ") are not a JSON object");
		}
		return args;
	}

	private static @Nullable JsonNode parse(String text) {
		if (text.isBlank()) {
			return null;
		}
		try {
			return Json.MAPPER.readTree(text);
		}
		catch (JacksonException ex) {
			return null;
		}
	}

	private static LlmException badRequest(String message) {
		return LlmException.builder(ErrorCategory.BAD_REQUEST).message(message).build();
	}

}
