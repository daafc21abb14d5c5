package dev.llmfallback.sample;

import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

import dev.llmfallback.EmbeddingRequest;
import dev.llmfallback.EmbeddingService;
import dev.llmfallback.ErrorCategory;
import dev.llmfallback.LlmException;
import dev.llmfallback.engine.FallbackEngine;
import dev.llmfallback.policy.ModelDefinition;
import dev.llmfallback.policy.ModelType;
import dev.llmfallback.sample.openai.CreateEmbeddingRequest;
import dev.llmfallback.sample.openai.CreateEmbeddingResponse;

/**
 * OpenAI's embeddings wire format, so that OpenAI's SDKs and vector-store libraries embed through
 * the app: {@code model} names an embedding policy or a configured embedding model. Answers carry
 * {@code x-fallback-served-by} and {@code x-fallback-attempts}; failures (the chain's and the
 * request's) go to {@link ChatErrors}, which writes them in OpenAI's error envelope.
 */
@RestController
class OpenAiEmbeddingsController {

	private final FallbackEngine engine;

	OpenAiEmbeddingsController(FallbackEngine engine) {
		this.engine = engine;
	}

	/** Names the request fields that were not passed on (DESIGN's {@code x-fallback-dropped-params}). */
	static final String DROPPED_PARAMS = "x-fallback-dropped-params";

	@PostMapping("/v1/embeddings")
	Mono<ResponseEntity<CreateEmbeddingResponse>> embeddings(@RequestBody CreateEmbeddingRequest body) {
		if (body == null) {
			throw invalid("The request body must be a JSON object");
		}
		if (!body.extra().isEmpty()) {
			// Nothing is passed on to the provider for embeddings: a field the gateway does not read
			// would be lost without the caller knowing.
			throw invalid("Unrecognized request argument supplied: " + String.join(", ", body.extra().keySet()));
		}
		boolean base64 = base64(body.encodingFormat());
		EmbeddingService service = service(body.model());
		EmbeddingRequest request;
		try {
			request = EmbeddingRequest.of(inputs(body.input())).withDimensions(body.dimensions());
		}
		catch (IllegalArgumentException ex) {
			throw invalid(ex.getMessage());
		}
		// The end user's id only labels the request for a provider's abuse monitoring and changes no
		// vector; no embedding API of the chain takes it, so it is named as dropped, never lost unseen.
		boolean userDropped = body.user() != null;
		return service.embed(request).map((answer) -> {
			ResponseEntity.BodyBuilder ok = ResponseEntity.ok()
				.header(OpenAiChatCompletions.SERVED_BY, answer.servedBy())
				.header(OpenAiChatCompletions.ATTEMPTS, Integer.toString(answer.attempts().size()));
			if (userDropped) {
				ok.header(DROPPED_PARAMS, "user");
			}
			return ok.body(CreateEmbeddingResponse.of(answer, base64));
		});
	}

	private EmbeddingService service(@Nullable String model) {
		if (model == null || model.isBlank()) {
			throw invalid("you must provide a model parameter");
		}
		if (this.engine.policies().containsKey(model)) {
			try {
				return this.engine.embeddingService(model);
			}
			catch (IllegalArgumentException ex) {
				throw invalid(ex.getMessage() + "; chat policies are served at /v1/chat/completions");
			}
		}
		ModelDefinition definition = this.engine.models().get(model);
		if (definition == null) {
			throw LlmException.builder(ErrorCategory.NOT_FOUND)
				.message("The model '" + model
						+ "' does not exist; use an embedding policy or a configured embedding model (GET /v1/models)")
				.build();
		}
		if (definition.type() != ModelType.EMBEDDING) {
			throw invalid("Model '" + model + "' is a chat model; chat models are served at /v1/chat/completions");
		}
		return this.engine.embeddingModelService(model);
	}

	private static boolean base64(@Nullable String encodingFormat) {
		if (encodingFormat == null || encodingFormat.equals("float")) {
			return false;
		}
		if (encodingFormat.equals("base64")) {
			return true;
		}
		throw invalid("'encoding_format' must be 'float' or 'base64', was '" + encodingFormat + "'");
	}

	/** A string or an array of strings; OpenAI's token arrays are refused (the chain may hold other providers). */
	private static List<String> inputs(@Nullable JsonNode input) {
		if (input == null || input.isNull() || input.isMissingNode()) {
			throw invalid("'input' is required: a string or an array of strings");
		}
		List<String> inputs = new ArrayList<>();
		if (input.isString()) {
			inputs.add(input.asString());
		}
		else if (input.isArray() && input.valueStream().allMatch(JsonNode::isString)) {
			input.valueStream().forEach((value) -> inputs.add(value.asString()));
		}
		else {
			throw invalid("'input' must be a string or an array of strings (token arrays are not supported)");
		}
		if (inputs.isEmpty()) {
			throw invalid("'input' must not be an empty array");
		}
		for (int i = 0; i < inputs.size(); i++) {
			if (inputs.get(i).isEmpty()) {
				throw invalid(input.isArray() ? "'input[" + i + "]' must not be empty" : "'input' must not be empty");
			}
		}
		return inputs;
	}

	private static LlmException invalid(@Nullable String message) {
		return ChatErrors.badRequest(message);
	}

}
