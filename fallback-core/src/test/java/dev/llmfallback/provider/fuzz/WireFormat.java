package dev.llmfallback.provider.fuzz;

import java.util.ArrayList;
import java.util.List;

import dev.llmfallback.provider.ProviderSettings;
import tools.jackson.databind.json.JsonMapper;

/**
 * The six wire formats the adapters speak, as templates the fuzz tests mutate: a valid plain
 * answer, the frames of a valid stream (its terminal marker apart), keep-alives.
 *
 * <p>A stream is a list of {@link Frame}s; an SSE frame is rendered as {@code event:}/{@code data:}
 * lines and a blank line, an NDJSON frame as one line.
 */
enum WireFormat {

	OPENAI("openai"), AZURE_OPENAI("azure-openai"), ANTHROPIC("anthropic"), GEMINI("gemini"), COHERE("cohere"),
	OLLAMA("ollama");

	static final String TEXT = "Hello \u2713 w\u00f6rld";

	private static final JsonMapper MAPPER = JsonMapper.shared();

	final String type;

	WireFormat(String type) {
		this.type = type;
	}

	boolean ndjson() {
		return this == OLLAMA;
	}

	String streamContentType() {
		return ndjson() ? "application/x-ndjson" : "text/event-stream";
	}

	ProviderSettings.Builder settings(String url, int maxResponseBytes) {
		ProviderSettings.Builder settings = ProviderSettings.builder("fuzz-" + this.type, this.type)
			.baseUrl(url)
			.apiKey("sk-fuzz-0123456789")
			.maxResponseBytes(maxResponseBytes);
		return (this == AZURE_OPENAI) ? settings.apiVersion("2024-10-21") : settings;
	}

	static String quote(String text) {
		return MAPPER.writeValueAsString(text);
	}

	/** @return a valid plain answer carrying {@link #TEXT} */
	String chatAnswer() {
		String t = quote(TEXT);
		return switch (this) {
			case OPENAI, AZURE_OPENAI -> "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"model\":\"gpt-x\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":"
					+ t + "},\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":2,\"total_tokens\":5}}";
			case ANTHROPIC -> "{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude-x\",\"content\":[{\"type\":\"text\",\"text\":"
					+ t + "}],\"stop_reason\":\"end_turn\",\"usage\":{\"input_tokens\":3,\"output_tokens\":2}}";
			case GEMINI -> "{\"candidates\":[{\"content\":{\"role\":\"model\",\"parts\":[{\"text\":" + t
					+ "}]},\"finishReason\":\"STOP\",\"index\":0}],\"usageMetadata\":{\"promptTokenCount\":3,\"candidatesTokenCount\":2,\"totalTokenCount\":5},\"modelVersion\":\"gemini-x\"}";
			case COHERE -> "{\"id\":\"c1\",\"message\":{\"role\":\"assistant\",\"content\":[{\"type\":\"text\",\"text\":" + t
					+ "}]},\"finish_reason\":\"COMPLETE\",\"usage\":{\"billed_units\":{\"input_tokens\":3,\"output_tokens\":2},\"tokens\":{\"input_tokens\":3,\"output_tokens\":2}}}";
			case OLLAMA -> "{\"model\":\"llama-x\",\"created_at\":\"2025-01-01T00:00:00Z\",\"message\":{\"role\":\"assistant\",\"content\":"
					+ t + "},\"done\":true,\"done_reason\":\"stop\",\"prompt_eval_count\":3,\"eval_count\":2}";
		};
	}

	/** @return the frames that open a stream, before any text */
	List<Frame> preamble() {
		return switch (this) {
			case OPENAI -> List.of(new Frame(null, "{\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"model\":\"gpt-x\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"finish_reason\":null}]}"));
			case AZURE_OPENAI -> List.of(new Frame(null, "{\"choices\":[],\"id\":\"\",\"model\":\"\",\"object\":\"\",\"prompt_filter_results\":[{\"prompt_index\":0,\"content_filter_results\":{}}]}"));
			case ANTHROPIC -> List.of(
					new Frame("message_start", "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude-x\",\"content\":[],\"usage\":{\"input_tokens\":3,\"output_tokens\":1}}}"),
					new Frame("content_block_start", "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}"));
			case GEMINI, OLLAMA -> List.of();
			case COHERE -> List.of(new Frame("message-start", "{\"type\":\"message-start\",\"id\":\"c1\",\"delta\":{\"message\":{\"role\":\"assistant\"}}}"));
		};
	}

	/** @return a frame carrying one piece of text */
	Frame text(String text) {
		String t = quote(text);
		return switch (this) {
			case OPENAI, AZURE_OPENAI -> new Frame(null, "{\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"model\":\"gpt-x\",\"choices\":[{\"index\":0,\"delta\":{\"content\":" + t + "},\"finish_reason\":null}]}");
			case ANTHROPIC -> new Frame("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":" + t + "}}");
			case GEMINI -> new Frame(null, "{\"candidates\":[{\"content\":{\"role\":\"model\",\"parts\":[{\"text\":" + t + "}]},\"index\":0}],\"modelVersion\":\"gemini-x\"}");
			case COHERE -> new Frame("content-delta", "{\"type\":\"content-delta\",\"index\":0,\"delta\":{\"message\":{\"content\":{\"text\":" + t + "}}}}");
			case OLLAMA -> new Frame(null, "{\"model\":\"llama-x\",\"created_at\":\"2025-01-01T00:00:00Z\",\"message\":{\"role\":\"assistant\",\"content\":" + t + "},\"done\":false}");
		};
	}

	/** @return the frames after the text that still precede the terminal marker */
	List<Frame> epilogue() {
		return switch (this) {
			case OPENAI, AZURE_OPENAI -> List.of(new Frame(null, "{\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"model\":\"gpt-x\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":2,\"total_tokens\":5}}"));
			case ANTHROPIC -> List.of(new Frame("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}"),
					new Frame("message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\",\"stop_sequence\":null},\"usage\":{\"output_tokens\":2}}"));
			case COHERE -> List.of(new Frame("content-end", "{\"type\":\"content-end\",\"index\":0}"));
			case GEMINI, OLLAMA -> List.of();
		};
	}

	/** @return the terminal marker: {@code [DONE]}, {@code message_stop}, {@code message-end}, a finish reason, {@code done:true} */
	Frame terminal() {
		return switch (this) {
			case OPENAI, AZURE_OPENAI -> new Frame(null, "[DONE]");
			case ANTHROPIC -> new Frame("message_stop", "{\"type\":\"message_stop\"}");
			case GEMINI -> new Frame(null, "{\"candidates\":[{\"content\":{\"role\":\"model\",\"parts\":[{\"text\":\"\"}]},\"finishReason\":\"STOP\",\"index\":0}],\"usageMetadata\":{\"promptTokenCount\":3,\"candidatesTokenCount\":2,\"totalTokenCount\":5},\"modelVersion\":\"gemini-x\"}");
			case COHERE -> new Frame("message-end", "{\"type\":\"message-end\",\"delta\":{\"finish_reason\":\"COMPLETE\",\"usage\":{\"billed_units\":{\"input_tokens\":3,\"output_tokens\":2},\"tokens\":{\"input_tokens\":3,\"output_tokens\":2}}}}");
			case OLLAMA -> new Frame(null, "{\"model\":\"llama-x\",\"created_at\":\"2025-01-01T00:00:00Z\",\"message\":{\"role\":\"assistant\",\"content\":\"\"},\"done\":true,\"done_reason\":\"stop\",\"prompt_eval_count\":3,\"eval_count\":2}");
		};
	}

	/** @return a frame that carries nothing, as servers send to keep a connection alive */
	String keepAlive() {
		return switch (this) {
			case ANTHROPIC -> "event: ping\ndata: {\"type\": \"ping\"}\n\n";
			case OLLAMA -> "\n";
			default -> ": keep-alive\n\n";
		};
	}

	/** @return a whole valid stream of the given pieces of text, terminal marker included or not */
	List<Frame> stream(List<String> texts, boolean terminal) {
		List<Frame> frames = new ArrayList<>(preamble());
		texts.forEach((text) -> frames.add(text(text)));
		frames.addAll(epilogue());
		if (terminal) {
			frames.add(terminal());
		}
		return frames;
	}

	String render(Frame frame) {
		return render(frame, "\n");
	}

	String render(Frame frame, String newline) {
		if (ndjson()) {
			return frame.data() + newline;
		}
		return ((frame.event() != null) ? "event: " + frame.event() + newline : "") + "data: " + frame.data() + newline
				+ newline;
	}

	String render(List<Frame> frames) {
		StringBuilder text = new StringBuilder();
		frames.forEach((frame) -> text.append(render(frame)));
		return text.toString();
	}

	/** One event of a stream: an SSE event name (or {@code null}) and its data. */
	record Frame(String event, String data) {

	}

}
