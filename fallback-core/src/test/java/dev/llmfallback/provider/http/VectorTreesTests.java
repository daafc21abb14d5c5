package dev.llmfallback.provider.http;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.POJONode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/** Embedding answers decoded once: arrays of numbers become floats straight from the bytes. */
class VectorTreesTests {

	private static JsonNode read(String json) {
		return VectorTrees.read(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
	}

	@Test
	void anArrayOfNumbersIsDecodedOnceIntoFloatsAndHandedOnUncopied() {
		JsonNode answer = read("""
				{"data": [{"index": 0, "embedding": [0.25, -1, 3e-2]}, {"index": 1, "embedding": [1.5]}],
				 "usage": {"prompt_tokens": 7}, "model": "m"}""");
		JsonNode first = answer.get("data").get(0).get("embedding");
		assertThat(first).isInstanceOf(POJONode.class);
		float[] vector = EmbeddingMapping.vector("p", first, "data[0].embedding");
		assertThat(vector).containsExactly(0.25f, -1f, 0.03f);
		assertThat(EmbeddingMapping.vector("p", first, "again")).isSameAs(vector);
		assertThat(EmbeddingMapping.vector("p", answer.get("data").get(1).get("embedding"), "x")).containsExactly(1.5f);
		assertThat(answer.get("usage").get("prompt_tokens").asInt()).isEqualTo(7);
		assertThat(answer.get("model").asString()).isEqualTo("m");
		assertThat(answer.get("data").get(1).get("index").asInt()).isEqualTo(1);
	}

	@Test
	void anArrayOfArraysStaysATreeOfVectors() {
		JsonNode answer = read("{\"embeddings\": [[1, 2], [3, 4, 5]]}");
		assertThat(answer.get("embeddings").isArray()).isTrue();
		assertThat(EmbeddingMapping.vectors("p", answer.get("embeddings"), "embeddings")).satisfiesExactly(
				(v) -> assertThat(v).containsExactly(1f, 2f), (v) -> assertThat(v).containsExactly(3f, 4f, 5f));
	}

	@Test
	void anArrayThatStopsBeingNumbersKeepsEveryValueAndIsRefusedAsAVector() {
		JsonNode mixed = read("{\"embedding\": [1, 2, \"three\", [4], null]}").get("embedding");
		assertThat(mixed.isArray()).isTrue();
		assertThat(mixed.size()).isEqualTo(5);
		assertThat(mixed.get(1).floatValue()).isEqualTo(2f);
		assertThat(mixed.get(2).asString()).isEqualTo("three");
		assertThat(mixed.get(3).isPojo()).isTrue();
		assertThatException().isThrownBy(() -> EmbeddingMapping.vector("p", mixed, "embedding"))
			.withMessageContaining("not a number at 2");
	}

	@Test
	void anEmptyArrayStaysAnEmptyArray() {
		assertThat(read("{\"embedding\": []}").get("embedding").isArray()).isTrue();
	}

	@Test
	void aNumberBeyondFloatRangeBecomesInfinityForTheEngineToRefuse() {
		float[] vector = EmbeddingMapping.vector("p", read("{\"e\": [1e300]}").get("e"), "e");
		assertThat(vector[0]).isInfinite();
	}

	@Test
	void malformedOrEmptyInputIsNotATree() {
		assertThat(read("")).isNull();
		assertThatException().isThrownBy(() -> read("{\"data\": [1, 2"));
		assertThatException().isThrownBy(() -> read("[".repeat(100) + "]".repeat(100)));
	}

}
