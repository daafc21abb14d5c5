package dev.llmfallback.sample.gateway;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Says which property opens the gateway to whom, and how to fix it. */
class GatewayNotProtectedFailureAnalyzer extends AbstractFailureAnalyzer<GatewayNotProtectedException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, GatewayNotProtectedException cause) {
		return new FailureAnalysis(
				"llm.gateway.client-keys is empty, but the gateway relays to providers off this machine: "
						+ cause.providers() + ". Anyone who reaches its port could spend their keys.",
				"Set llm.gateway.client-keys (for example llm.gateway.client-keys[0]=${GATEWAY_CLIENT_KEY}); clients "
						+ "send a key as 'Authorization: Bearer <key>' or 'x-api-key: <key>'. Or set "
						+ "llm.gateway.open=true to serve anyone on purpose.",
				cause);
	}

}
