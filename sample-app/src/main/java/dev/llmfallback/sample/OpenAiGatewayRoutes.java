package dev.llmfallback.sample;

import java.util.Set;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.web.reactive.function.server.RequestPredicates;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.springframework.web.server.MethodNotAllowedException;
import reactor.core.publisher.Mono;

/**
 * The gateway's chat route, {@code POST /v1/chat/completions}, as a router function (see
 * {@link OpenAiChatCompletions} for why). Any other method on that path is a 405 naming POST, as an
 * annotated mapping answers it, rather than the 404 a router function would leave.
 */
@Configuration(proxyBeanMethods = false)
class OpenAiGatewayRoutes {

	static final String CHAT_COMPLETIONS = "/v1/chat/completions";

	@Bean
	RouterFunction<ServerResponse> openAiChatCompletionsRoute(OpenAiChatCompletions completions) {
		return RouterFunctions.route(RequestPredicates.POST(CHAT_COMPLETIONS), completions::handle)
			.andRoute(RequestPredicates.path(CHAT_COMPLETIONS),
					(request) -> Mono.error(new MethodNotAllowedException(request.method(), Set.of(HttpMethod.POST))));
	}

}
