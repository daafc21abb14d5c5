package dev.llmfallback.sample.gateway;

/** Start-up refused: providers off this machine and no client keys. */
class GatewayNotProtectedException extends IllegalStateException {

	private final String providers;

	GatewayNotProtectedException(String providers) {
		super("llm.gateway.client-keys is empty, but providers are not on loopback: " + providers);
		this.providers = providers;
	}

	String providers() {
		return this.providers;
	}

}
