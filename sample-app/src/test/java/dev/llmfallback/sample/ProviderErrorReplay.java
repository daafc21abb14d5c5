package dev.llmfallback.sample;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * A loopback upstream that replays real providers' error answers, one per path prefix: the rows of
 * issue 19's table. The bodies are the verbatim ones of fallback-core's provider tests (each names
 * its source there).
 */
final class ProviderErrorReplay implements AutoCloseable {

	/** A provider's answer: status, body, and headers. */
	record Reply(int status, String body, Map<String, String> headers) {
	}

	static final Map<String, Reply> REPLIES = new LinkedHashMap<>();

	static {
		// AzureOpenAiChatProviderTests: https://github.com/openai/openai-python/issues/331
		REPLIES.put("azure-filter", new Reply(400,
				"{\"error\":{\"message\":\"The response was filtered due to the prompt triggering Azure OpenAI’s content management policy. Please modify your prompt and retry. To learn more about our content filtering policies please read our documentation: https://go.microsoft.com/fwlink/?linkid=2198766\",\"type\":null,\"param\":\"prompt\",\"code\":\"content_filter\",\"status\":400}}",
				Map.of()));
		// OpenAiChatProviderTests: https://github.com/chathub-dev/chathub/issues/126
		REPLIES.put("context", new Reply(400,
				"{\"error\":{\"message\":\"This model's maximum context length is 4097 tokens. However, your messages resulted in 4294 tokens. Please reduce the length of the messages.\",\"type\":\"invalid_request_error\",\"param\":\"messages\",\"code\":\"context_length_exceeded\"}}",
				Map.of()));
		// OpenAiChatProviderTests: https://github.com/SevaSk/ecoute/issues/163
		REPLIES.put("bad-key", new Reply(401,
				"{\"error\": {\"message\": \"Incorrect API key provided: API_KEY. You can find your API key at https://platform.openai.com/account/api-keys.\", \"type\": \"invalid_request_error\", \"param\": null, \"code\": \"invalid_api_key\"}}",
				Map.of()));
		// OpenAiChatProviderTests: https://github.com/chatanywhere/GPT_API_free/issues/229
		REPLIES.put("no-quota", new Reply(429,
				"{\"error\": {\"message\": \"You exceeded your current quota, please check your plan and billing details. For more information on this error, read the docs: https://platform.openai.com/docs/guides/error-codes/api-errors.\", \"type\": \"insufficient_quota\", \"param\": null, \"code\": \"insufficient_quota\"}}",
				Map.of()));
		// OpenAiChatProviderTests (rate limit on tokens per minute), with the Retry-After of issue 19's table.
		REPLIES.put("tpm", new Reply(429,
				"{\"error\": {\"message\": \"Rate limit reached for gpt-4o in organization org-abc on tokens per min (TPM): Limit 30000, Used 29000, Requested 2000. Please try again in 6m0s.\", \"type\": \"tokens\", \"param\": null, \"code\": \"rate_limit_exceeded\"}}",
				Map.of("retry-after", "4")));
		// OpenAiChatProviderTests: https://github.com/ikechan8370/chatgpt-plugin/issues/125
		REPLIES.put("overloaded", new Reply(503,
				"{\"error\": {\"message\": \"That model is currently overloaded with other requests. You can retry your request, or contact us through our help center at help.openai.com if the error persists. (Please include the request ID 500d9fff2057e4af93a280f67002c342 in your message.)\", \"type\": \"server_error\", \"param\": null, \"code\": null}}",
				Map.of()));
	}

	private final DisposableServer server;

	private final Map<String, AtomicInteger> calls = new LinkedHashMap<>();

	ProviderErrorReplay() {
		REPLIES.keySet().forEach((name) -> this.calls.put(name, new AtomicInteger()));
		this.server = HttpServer.create().host("127.0.0.1").port(0).handle((request, response) -> {
			String path = request.uri().substring(1);
			String name = path.contains("/") ? path.substring(0, path.indexOf('/')) : path;
			Reply reply = REPLIES.get(name);
			if (reply == null) {
				return response.status(404).send();
			}
			this.calls.get(name).incrementAndGet();
			response.status(reply.status()).header("content-type", "application/json");
			reply.headers().forEach(response::header);
			return request.receive()
				.then()
				.then(response.sendByteArray(Mono.just(reply.body().getBytes(StandardCharsets.UTF_8))).then());
		}).bindNow();
	}

	String baseUrl(String name) {
		return "http://127.0.0.1:" + this.server.port() + "/" + name;
	}

	int calls(String name) {
		return this.calls.get(name).get();
	}

	@Override
	public void close() {
		this.server.disposeNow();
	}

}
