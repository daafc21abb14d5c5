package dev.llmfallback.provider.openai;

import dev.llmfallback.ErrorCategory;
import dev.llmfallback.provider.http.ErrorRules;

/**
 * What only the Chat Completions servers say: Azure's content-filter and deployment codes, and
 * the capability refusals and context-length wordings of OpenAI and compatible servers (vLLM,
 * llama.cpp's llama-server, LM Studio, Groq, OpenRouter). OpenAI's own codes
 * ({@code context_length_exceeded}, {@code insufficient_quota}, ...) are shared by every format:
 * gateways and compatible servers of every kind speak them. Each wording's source is a row of
 * {@code provider/openai/error-corpus.json} in the tests.
 */
final class OpenAiErrors {

	static final ErrorRules RULES = ErrorRules.builder()
		// https://learn.microsoft.com/azure/ai-services/openai/concepts/content-filter
		.codes(ErrorCategory.CONTENT_POLICY, "ResponsibleAIPolicyViolation")
		.codes(ErrorCategory.NOT_FOUND, "DeploymentNotFound", "deployment_not_found")
		.messages(ErrorCategory.NOT_FOUND, "deploymentnotfound")
		// A capability the model or server lacks: the next model may have it (no retry, no cooldown).
		.messages(ErrorCategory.UNSUPPORTED,
				// OpenAI: a text-only model given an image; o1 refusing streams; models without tools or
				// structured outputs; a schema strict mode refuses ("Invalid schema for response_format 'x'").
				"image_url is only supported by certain models", "'stream' does not support true",
				"unsupported parameter: '(tools|tool_choice|parallel_tool_calls|functions|function_call|response_format)' "
						+ "is not supported with this model",
				"'response_format' of type '\\w+' is not supported", "invalid schema for (response_format|function) '",
				// llama.cpp's llama-server: tools without --jinja, images without a projector.
				"tools param requires --jinja", "unsupported param: (tools|tool_choice)", "cannot use tools with stream",
				"image input is not supported", "unsupported content part type",
				// OpenRouter: no provider of the model serves the capability (sent as 404).
				"no endpoints found that support",
				// Groq: images refused with a system message, or by a text-only model.
				"prompting with images is incompatible", "content must be a string",
				// Mistral: the ids of another format's tool calls in the history ([a-zA-Z0-9]{9} only).
				"tool call id was .{1,200} but must be")
		.messages(ErrorCategory.CONTEXT_WINDOW_EXCEEDED,
				// vLLM's current wording (renderers/params.py) names the output tokens too, which the
				// shared rules would read as an output limit.
				"the model's context length is only \\d+ tokens",
				// LM Studio, old and new.
				"context length of only \\d+ tokens", "tokens to keep from the initial prompt is greater than the context length",
				"n_keep:? ?\\(?\\d+\\)? >= ?n_ctx")
		.build();

	private OpenAiErrors() {
	}

}
