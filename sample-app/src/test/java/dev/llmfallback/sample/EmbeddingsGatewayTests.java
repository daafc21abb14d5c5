package dev.llmfallback.sample;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.HttpResponseFor;
import com.openai.models.embeddings.CreateEmbeddingResponse;
import com.openai.models.embeddings.EmbeddingCreateParams;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;

import dev.llmfallback.sample.simulator.ProviderSimulator;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code POST /v1/embeddings} of the app on a random port, over its simulated providers. The flaky
 * primary of the {@code embed} policy is overloaded on every call, is not retried and never cools
 * down, so each answer comes from the backup after one call to it.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "sample.simulator.providers.flaky.rate-limited=0",
				"sample.simulator.providers.flaky.overloaded=1.0", "sample.simulator.providers.flaky.slow=0",
				"llm.fallback.policies.embed.retry.max-retries=0", "llm.fallback.policies.embed.cooldown.failures=1000" })
@SuppressWarnings("unchecked")
class EmbeddingsGatewayTests {

	@LocalServerPort
	int port;

	@Autowired
	ProviderSimulator simulator;

	/** Status, headers and body of one call. */
	record Answer(int status, Map<String, List<String>> headers, Map<String, Object> body) {

		String header(String name) {
			List<String> values = this.headers.get(name);
			return (values != null && !values.isEmpty()) ? values.get(0) : null;
		}

		List<Map<String, Object>> data() {
			return (List<Map<String, Object>>) this.body.get("data");
		}

		Map<String, Object> error() {
			return (Map<String, Object>) this.body.get("error");
		}

	}

	private Answer post(Map<String, Object> body) {
		return LoopbackClients.to(this.port)
			.post()
			.uri("/v1/embeddings")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(body)
			.exchangeToMono((response) -> response.bodyToMono(Map.class)
				.map((map) -> new Answer(response.statusCode().value(), response.headers().asHttpHeaders().asMultiValueMap(),
						(Map<String, Object>) map)))
			.block(Duration.ofSeconds(20));
	}

	private static float[] floats(Object embedding) {
		List<Number> numbers = (List<Number>) embedding;
		float[] vector = new float[numbers.size()];
		for (int i = 0; i < vector.length; i++) {
			vector[i] = numbers.get(i).floatValue();
		}
		return vector;
	}

	private static float[] decode(String base64) {
		ByteBuffer bytes = ByteBuffer.wrap(Base64.getDecoder().decode(base64)).order(ByteOrder.LITTLE_ENDIAN);
		float[] vector = new float[bytes.remaining() / Float.BYTES];
		bytes.asFloatBuffer().get(vector);
		return vector;
	}

	private static double norm(float[] vector) {
		double sum = 0;
		for (float value : vector) {
			sum += value * value;
		}
		return Math.sqrt(sum);
	}

	@Test
	void aStringIsEmbeddedInOpenAisFormatAfterTheFailingPrimaryFellBack() {
		long flakyBefore = this.simulator.requests("flaky");

		Answer answer = post(Map.of("model", "embed", "input", "hello"));

		assertThat(answer.status()).isEqualTo(200);
		assertThat(answer.header("x-fallback-served-by")).isEqualTo("embed-small-backup");
		assertThat(answer.header("x-fallback-attempts")).isEqualTo("2");
		assertThat(this.simulator.requests("flaky") - flakyBefore).isEqualTo(1);
		assertThat(answer.body()).containsEntry("object", "list").containsEntry("model", "embed-small-backup");
		assertThat(answer.data()).hasSize(1);
		assertThat(answer.data().get(0)).containsEntry("object", "embedding").containsEntry("index", 0);
		float[] vector = floats(answer.data().get(0).get("embedding"));
		assertThat(vector).hasSize(1536);
		assertThat(norm(vector)).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-3));
		assertThat((Map<String, Object>) answer.body().get("usage")).containsKeys("prompt_tokens", "total_tokens");
	}

	@Test
	void theEndUserIdIsNamedAsDroppedNeverLostUnseen() {
		Answer with = post(Map.of("model", "embed", "input", "same text", "user", "user-42"));
		Answer without = post(Map.of("model", "embed", "input", "same text"));

		assertThat(with.status()).isEqualTo(200);
		assertThat(with.header("x-fallback-dropped-params")).isEqualTo("user");
		assertThat(without.header("x-fallback-dropped-params")).isNull();
		assertThat(floats(with.data().get(0).get("embedding"))).containsExactly(floats(without.data().get(0).get("embedding")));
	}

	@Test
	void anArrayGivesOneVectorPerInputInOrderTheSameAsEachAlone() {
		Answer both = post(Map.of("model", "embed", "input", List.of("first text", "second text")));
		Answer second = post(Map.of("model", "embed", "input", "second text"));

		assertThat(both.status()).isEqualTo(200);
		assertThat(both.data()).extracting((item) -> item.get("index")).containsExactly(0, 1);
		assertThat(floats(both.data().get(1).get("embedding")))
			.containsExactly(floats(second.data().get(0).get("embedding")));
		assertThat(floats(both.data().get(0).get("embedding")))
			.isNotEqualTo(floats(both.data().get(1).get("embedding")));
	}

	@Test
	void base64IsLittleEndianFloat32OfTheSameVector() {
		Answer plain = post(Map.of("model", "embed", "input", "hello", "encoding_format", "float"));
		Answer encoded = post(Map.of("model", "embed", "input", "hello", "encoding_format", "base64"));

		assertThat(encoded.status()).isEqualTo(200);
		assertThat(encoded.data().get(0).get("embedding")).isInstanceOf(String.class);
		assertThat(decode((String) encoded.data().get(0).get("embedding")))
			.containsExactly(floats(plain.data().get(0).get("embedding")));
	}

	@Test
	void dimensionsShortenTheVectors() {
		Answer answer = post(Map.of("model", "embed", "input", "hello", "dimensions", 256));

		assertThat(answer.status()).isEqualTo(200);
		float[] vector = floats(answer.data().get(0).get("embedding"));
		assertThat(vector).hasSize(256);
		assertThat(norm(vector)).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-3));
	}

	@Test
	void aConfiguredEmbeddingModelMayBeNamedInsteadOfAPolicy() {
		Answer answer = post(Map.of("model", "embed-small-backup", "input", "hello"));

		assertThat(answer.status()).isEqualTo(200);
		assertThat(answer.header("x-fallback-served-by")).isEqualTo("embed-small-backup");
		assertThat(answer.header("x-fallback-attempts")).isEqualTo("1");
	}

	@Test
	void anUnknownFieldIsRefusedByName() {
		Answer answer = post(Map.of("model", "embed", "input", "hello", "input_type", "query"));

		assertBadRequest(answer, "input_type");
	}

	@Test
	void anEmptyInputIsRefused() {
		assertBadRequest(post(Map.of("model", "embed", "input", List.of())), "'input'");
		assertBadRequest(post(Map.of("model", "embed", "input", "")), "'input'");
		assertBadRequest(post(Map.of("model", "embed")), "'input'");
	}

	@Test
	void aChatPolicyOrAChatModelIsRefused() {
		assertBadRequest(post(Map.of("model", "chat", "input", "hello")), "chat policy");
		assertBadRequest(post(Map.of("model", "gpt-4o", "input", "hello")), "chat model");
	}

	@Test
	void anEncodingOtherThanFloatOrBase64IsRefused() {
		assertBadRequest(post(Map.of("model", "embed", "input", "hello", "encoding_format", "int8")), "encoding_format");
	}

	@Test
	void anUnknownModelIsNotFound() {
		Answer answer = post(Map.of("model", "no-such-model", "input", "hello"));

		assertThat(answer.status()).isEqualTo(404);
		assertThat(answer.error()).containsKeys("message", "type", "code");
	}

	@Test
	void anEmbeddingPolicyAtChatCompletionsIsABadRequest() {
		Map<String, Object> body = Map.of("model", "embed", "messages", List.of(Map.of("role", "user", "content", "hi")));
		Answer answer = LoopbackClients.to(this.port)
			.post()
			.uri("/v1/chat/completions")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(body)
			.exchangeToMono((response) -> response.bodyToMono(Map.class)
				.map((map) -> new Answer(response.statusCode().value(), Map.of(), (Map<String, Object>) map)))
			.block(Duration.ofSeconds(20));

		assertThat(answer.status()).isEqualTo(400);
		assertThat(answer.error()).containsEntry("category", "bad_request");
	}

	private static void assertBadRequest(Answer answer, String named) {
		assertThat(answer.status()).isEqualTo(400);
		assertThat(answer.error()).containsEntry("type", "invalid_request_error")
			.containsEntry("category", "bad_request")
			.containsKey("code");
		assertThat((String) answer.error().get("message")).contains(named);
	}

	@Test
	void theOfficialSdkEmbedsThroughTheGatewayWithItsDefaultBase64AfterAHopToGeminisWireFormat() {
		OpenAIClient sdk = OpenAIOkHttpClient.builder()
			.baseUrl("http://127.0.0.1:" + this.port + "/v1")
			.apiKey("no-client-key-needed-on-loopback")
			.maxRetries(0)
			.timeout(Duration.ofSeconds(30))
			.build();
		Answer plain = post(Map.of("model", "embed", "input", List.of("a question", "a passage")));

		try (HttpResponseFor<CreateEmbeddingResponse> raw = sdk.embeddings()
			.withRawResponse()
			.create(EmbeddingCreateParams.builder()
				.model("embed")
				.inputOfArrayOfStrings(List.of("a question", "a passage"))
				.build())) {
			assertThat(raw.headers().values("x-fallback-served-by")).containsExactly("embed-small-backup");
			assertThat(raw.headers().values("x-fallback-attempts")).containsExactly("2");
			CreateEmbeddingResponse response = raw.parse();
			assertThat(response.data()).hasSize(2);
			for (int i = 0; i < 2; i++) {
				assertThat(response.data().get(i).embeddingValue().isBase64()).as("sent as base64").isTrue();
				List<Float> decoded = response.data().get(i).embedding();
				float[] expected = floats(plain.data().get(i).get("embedding"));
				assertThat(decoded).hasSize(expected.length);
				for (int j = 0; j < expected.length; j++) {
					assertThat(decoded.get(j)).isEqualTo(expected[j]);
				}
			}
			// The fallback speaks Gemini's batchEmbedContents, which reports no token counts.
			assertThat(response.usage().promptTokens()).isZero();
		}
	}

}
