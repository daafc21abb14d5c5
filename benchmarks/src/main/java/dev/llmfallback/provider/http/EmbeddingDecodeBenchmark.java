package dev.llmfallback.provider.http;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import tools.jackson.databind.JsonNode;

/**
 * Issue 14, point 7: decoding one embedding answer of 1,000 vectors of 1,536 numbers (OpenAI's
 * {@code data[].embedding}, about 19 MB of JSON), the way the adapters did before (the body as a
 * string, a tree of number nodes, then floats) and the way they do now ({@link VectorTrees}: floats
 * straight from the bytes). Run with {@code -prof gc}: {@code gc.alloc.rate.norm} is the bytes
 * allocated per answer. In the package of the code it measures, since that code is package-private.
 *
 * <pre>java -jar benchmarks/target/benchmarks.jar EmbeddingDecodeBenchmark -prof gc</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = { "-Xms2g", "-Xmx2g" })
public class EmbeddingDecodeBenchmark {

	private static final int INPUTS = 1000;

	private static final int DIMENSIONS = 1536;

	private byte[] answer;

	@Setup
	public void answer() {
		SplittableRandom random = new SplittableRandom(42);
		StringBuilder json = new StringBuilder(INPUTS * DIMENSIONS * 12).append("{\"object\":\"list\",\"data\":[");
		for (int i = 0; i < INPUTS; i++) {
			json.append((i > 0) ? "," : "").append("{\"object\":\"embedding\",\"index\":").append(i).append(",\"embedding\":[");
			for (int d = 0; d < DIMENSIONS; d++) {
				json.append((d > 0) ? "," : "").append((float) (random.nextDouble() * 2 - 1) / 30f);
			}
			json.append("]}");
		}
		json.append("],\"model\":\"text-embedding-3-small\",\"usage\":{\"prompt_tokens\":8000,\"total_tokens\":8000}}");
		this.answer = json.toString().getBytes(StandardCharsets.UTF_8);
	}

	/** Before: text, then a tree of number nodes, then floats. */
	@Benchmark
	public List<float[]> textThenTree() {
		String text = new String(this.answer, StandardCharsets.UTF_8);
		return vectors(Json.MAPPER.readTree(text));
	}

	/** Now: floats straight from the bytes. */
	@Benchmark
	public List<float[]> vectorsFromBytes() {
		return vectors(VectorTrees.read(new ByteArrayInputStream(this.answer)));
	}

	private static List<float[]> vectors(JsonNode answer) {
		JsonNode data = answer.get("data");
		float[][] vectors = new float[data.size()][];
		for (int i = 0; i < vectors.length; i++) {
			vectors[i] = EmbeddingMapping.vector("bench", data.get(i).get("embedding"), "data[" + i + "].embedding");
		}
		return List.of(vectors);
	}

}
