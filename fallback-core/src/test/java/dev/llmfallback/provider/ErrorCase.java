package dev.llmfallback.provider;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.llmfallback.ErrorCategory;
import dev.llmfallback.LlmException.ClassificationBasis;

/**
 * A real error answer of a provider, with where it was published and what it must be classified
 * as.
 *
 * @param source where the body was published (documentation page or issue thread)
 * @param status the HTTP status
 * @param body the body as published
 * @param category the expected category
 * @param basis the expected classification basis
 * @param headers response headers to send with it
 */
public record ErrorCase(String source, int status, String body, ErrorCategory category, ClassificationBasis basis,
		Map<String, String> headers) {

	public static ErrorCase of(String source, int status, String body, ErrorCategory category,
			ClassificationBasis basis) {
		return new ErrorCase(source, status, body, category, basis, Map.of());
	}

	public ErrorCase header(String name, String value) {
		Map<String, String> headers = new LinkedHashMap<>(this.headers);
		headers.put(name, value);
		return new ErrorCase(this.source, this.status, this.body, this.category, this.basis, headers);
	}

	public StubServer.Reply reply() {
		StubServer.Reply reply = StubServer.Reply.json(this.status, this.body);
		this.headers.forEach(reply::header);
		return reply;
	}

	@Override
	public String toString() {
		return this.status + " -> " + this.category.id() + " (" + this.basis + "), source: " + this.source;
	}

}
