package dev.llmfallback.sample.gateway;

import java.util.ArrayList;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Who may call the gateway: {@code llm.gateway.client-keys}, presented as
 * {@code Authorization: Bearer <key>} (the OpenAI SDKs) or {@code x-api-key: <key>} (the Anthropic
 * SDKs).
 */
@ConfigurationProperties("llm.gateway")
public class GatewayProperties {

	/**
	 * Keys the gateway's clients present. With any, /v1/*, /chat, /chat/stream and the actuator's
	 * write operations need one of them. Never logged or echoed.
	 */
	private List<String> clientKeys = new ArrayList<>();

	/**
	 * Whether to serve without client keys although a provider is not on loopback (anyone who
	 * reaches the port then spends the providers' keys). Start-up fails otherwise.
	 */
	private boolean open;

	public List<String> getClientKeys() {
		return this.clientKeys;
	}

	public void setClientKeys(List<String> clientKeys) {
		this.clientKeys = clientKeys;
	}

	public boolean isOpen() {
		return this.open;
	}

	public void setOpen(boolean open) {
		this.open = open;
	}

	@Override
	public String toString() {
		return "GatewayProperties[clientKeys=" + this.clientKeys.size() + " keys, open=" + this.open + "]";
	}

}
