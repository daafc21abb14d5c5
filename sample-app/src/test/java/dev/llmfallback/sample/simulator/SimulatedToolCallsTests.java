package dev.llmfallback.sample.simulator;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.llmfallback.sample.LoopbackClients;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The simulator's tool loop and structured answers over real HTTP, in both wire formats, whole and
 * streamed: a call of the first tool with arguments from its schema, then a text using the result.
 */
class SimulatedToolCallsTests {

	private static final ProviderSimulator simulator = ProviderSimulator
		.start(Map.of("p", SimulatedBehaviour.healthy()));

	private static final JsonMapper json = JsonMapper.builder().build();

	private static final String SCHEMA = "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"},"
			+ "\"unit\":{\"type\":\"string\",\"enum\":[\"celsius\",\"fahrenheit\"]},\"days\":{\"type\":\"integer\"}},"
			+ "\"required\":[\"city\",\"unit\"]}";

	@AfterAll
	static void stop() {
		simulator.close();
	}

	private static String post(String path, String body) {
		return LoopbackClients.to(simulator.baseUrl())
			.post()
			.uri("/p" + path)
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(body)
			.retrieve()
			.bodyToMono(String.class)
			.block(Duration.ofSeconds(10));
	}

	@Test
	void openAiFormatCallsTheFirstToolThenUsesItsResult() {
		String tools = ",\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"parameters\":" + SCHEMA + "}}]";
		JsonNode answer = json.readTree(post("/v1/chat/completions",
				"{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"weather?\"}]" + tools + "}"));
		JsonNode choice = answer.path("choices").get(0);
		assertThat(choice.path("finish_reason").asString()).isEqualTo("tool_calls");
		JsonNode call = choice.path("message").path("tool_calls").get(0);
		assertThat(call.path("function").path("name").asString()).isEqualTo("get_weather");
		JsonNode arguments = json.readTree(call.path("function").path("arguments").asString());
		assertThat(arguments.path("unit").asString()).isEqualTo("celsius");
		assertThat(arguments.path("days").isInt()).isTrue();
		String streamed = post("/v1/chat/completions",
				"{\"model\":\"m\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"weather?\"}]" + tools + "}");
		assertThat(streamed).contains("\"finish_reason\":\"tool_calls\"").contains("\"name\":\"get_weather\"");
		String id = call.path("id").asString();
		String after = post("/v1/chat/completions", "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"w?\"},"
				+ "{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[" + call + "]},{\"role\":\"tool\",\"tool_call_id\":\""
				+ id + "\",\"content\":\"21 degrees\"}]" + tools + "}");
		assertThat(json.readTree(after).path("choices").get(0).path("message").path("content").asString())
			.contains("21 degrees");
	}

	@Test
	void anthropicFormatCallsTheFirstToolThenUsesItsResult() {
		String tools = ",\"tools\":[{\"name\":\"get_weather\",\"input_schema\":" + SCHEMA + "}]";
		JsonNode answer = json.readTree(post("/v1/messages",
				"{\"model\":\"m\",\"max_tokens\":100,\"messages\":[{\"role\":\"user\",\"content\":\"weather?\"}]" + tools + "}"));
		assertThat(answer.path("stop_reason").asString()).isEqualTo("tool_use");
		JsonNode use = answer.path("content").get(0);
		assertThat(use.path("type").asString()).isEqualTo("tool_use");
		assertThat(use.path("input").path("city").isString()).isTrue();
		String streamed = post("/v1/messages", "{\"model\":\"m\",\"max_tokens\":100,\"stream\":true,\"messages\":"
				+ "[{\"role\":\"user\",\"content\":\"weather?\"}]" + tools + "}");
		assertThat(streamed).contains("input_json_delta").contains("\"stop_reason\":\"tool_use\"");
		String after = post("/v1/messages", "{\"model\":\"m\",\"max_tokens\":100,\"messages\":[{\"role\":\"user\","
				+ "\"content\":\"w?\"},{\"role\":\"assistant\",\"content\":[" + use + "]},{\"role\":\"user\",\"content\":"
				+ "[{\"type\":\"tool_result\",\"tool_use_id\":\"" + use.path("id").asString()
				+ "\",\"content\":\"21 degrees\"}]}]" + tools + "}");
		assertThat(json.readTree(after).path("content").get(0).path("text").asString()).contains("21 degrees");
	}

	@Test
	void aJsonSchemaResponseFormatGetsAnObjectValidAgainstIt() {
		JsonNode answer = json.readTree(post("/v1/chat/completions",
				"{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"weather?\"}],\"response_format\":"
						+ "{\"type\":\"json_schema\",\"json_schema\":{\"name\":\"w\",\"schema\":" + SCHEMA + "}}}"));
		JsonNode object = json.readTree(answer.path("choices").get(0).path("message").path("content").asString());
		assertThat(object.path("city").isString()).isTrue();
		assertThat(object.path("unit").asString()).isEqualTo("celsius");
	}

}
