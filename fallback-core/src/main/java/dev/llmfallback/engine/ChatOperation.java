package dev.llmfallback.engine;

import java.util.List;

import dev.llmfallback.ChatRequest;
import dev.llmfallback.event.AttemptEvent;

/**
 * Chat as an {@link Operation}: a call, or a stream that needs models able to stream; either needs
 * what its request holds ({@link ChatNeeds}).
 */
enum ChatOperation implements Operation<ChatRequest> {

	CALL(Needs.NONE),

	STREAM(Needs.STREAMING);

	private final int needs;

	ChatOperation(int needs) {
		this.needs = needs;
	}

	@Override
	public String id() {
		return AttemptEvent.CHAT;
	}

	@Override
	public boolean streaming() {
		return this == STREAM;
	}

	@Override
	public int needs(ChatRequest request) {
		return this.needs | ChatNeeds.of(request);
	}

	@Override
	public List<String> unsupportedParams(ModelRuntime model, ChatRequest request) {
		return model.provider().unsupportedParams(request);
	}

	@Override
	public int images(ChatRequest request) {
		return ChatNeeds.images(request);
	}

	@Override
	public long tokenUpperBound(ChatRequest request) {
		return TokenEstimator.upperBound(request);
	}

	@Override
	public int estimateTokens(ChatRequest request, TokenEstimator tokens) {
		return tokens.estimate(request);
	}

}
