package dev.llmfallback.sample;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import dev.llmfallback.engine.FallbackEngine;

/**
 * {@code GET /v1/models} in OpenAI's wire format: every policy and configured model, each usable as
 * the {@code model} of {@code POST /v1/chat/completions}.
 */
@RestController
class OpenAiModelsController {

	private final FallbackEngine engine;

	OpenAiModelsController(FallbackEngine engine) {
		this.engine = engine;
	}

	@GetMapping("/v1/models")
	Map<String, Object> models() {
		List<Map<String, Object>> data = new ArrayList<>();
		this.engine.policies().keySet().forEach((name) -> data.add(model(name, "llm-fallback policy")));
		this.engine.models().forEach((name, model) -> data.add(model(name, model.provider())));
		return Map.of("object", "list", "data", data);
	}

	private static Map<String, Object> model(String id, String ownedBy) {
		return Map.of("id", id, "object", "model", "created", 0, "owned_by", ownedBy);
	}

}
