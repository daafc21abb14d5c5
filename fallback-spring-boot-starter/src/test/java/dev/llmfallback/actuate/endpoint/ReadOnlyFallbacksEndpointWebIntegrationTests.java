package dev.llmfallback.actuate.endpoint;

import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.web.reactive.function.client.WebClient;

import dev.llmfallback.actuate.ScriptedChain;
import dev.llmfallback.engine.FallbackEngine;

import static dev.llmfallback.actuate.endpoint.FallbacksEndpointWebIntegrationTests.client;
import static dev.llmfallback.actuate.endpoint.FallbacksEndpointWebIntegrationTests.get;
import static dev.llmfallback.actuate.endpoint.FallbacksEndpointWebIntegrationTests.post;
import static dev.llmfallback.actuate.endpoint.FallbacksEndpointWebIntegrationTests.start;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * With {@code llm.fallback.endpoint.reset-enabled=false} the endpoint has no write operation over
 * HTTP. (A class of its own: two running applications would share, and one would dispose, Reactor
 * Netty's global resources.)
 */
class ReadOnlyFallbacksEndpointWebIntegrationTests {

	@Test
	void withResetDisabledThereIsNoWriteOperation() {
		try (ConfigurableApplicationContext context = start("server.port=0", "spring.main.banner-mode=off",
				"management.endpoints.web.exposure.include=health,fallbacks",
				"llm.fallback.endpoint.reset-enabled=false")) {
			FallbackEngine engine = context.getBean(FallbackEngine.class);
			ScriptedChain.failSome(engine);
			WebClient client = client(context);
			assertThat(get(client, "/actuator/fallbacks/chat").status()).isEqualTo(200);
			assertThat(post(client, "/actuator/fallbacks/primary", "{\"action\":\"reset\"}").status()).isEqualTo(405);
			assertThat(engine.modelStatus("primary").available()).isFalse();
		}
	}

}
