package dev.llmfallback.sample;

import java.util.Set;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.http.HttpMethod;
import org.springframework.http.codec.ServerCodecConfigurer;
import org.springframework.web.reactive.function.server.RequestPredicates;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.springframework.web.reactive.function.server.support.RouterFunctionMapping;
import org.springframework.web.reactive.function.server.support.ServerResponseResultHandler;
import org.springframework.web.server.MethodNotAllowedException;
import reactor.core.publisher.Mono;

/**
 * The gateway's chat route, {@code POST /v1/chat/completions}, as a router function (see
 * {@link OpenAiChatCompletions} for why). Any other method on that path is a 405 naming POST, as an
 * annotated mapping answers it, rather than the 404 a router function would leave.
 * <p>
 * The route has a handler mapping of its own, asked before any other. In the shared router-function
 * mapping (order -1) every chat request was first looked up, and missed, in the actuator's three
 * annotated mappings (order -100 and after); this one matches on the method and one exact path, and
 * answers every other request at once with no handler. (Global CORS mappings of a
 * {@code WebFluxConfigurer} are not applied to it; the gateway configures none, and one called from
 * browsers would set them on this mapping.) For the same reason the result handler of
 * functional endpoints is asked first about what a handler returned (see
 * {@link #serverResponsesFirst()}).
 */
@Configuration(proxyBeanMethods = false)
class OpenAiGatewayRoutes {

	static final String CHAT_COMPLETIONS = "/v1/chat/completions";

	/**
	 * The order of the route's mapping and of the functional endpoints' result handler: before the
	 * actuator's mappings and the annotated controllers' result handlers, after anything that
	 * explicitly asks to be first.
	 */
	static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 100;

	@Bean
	RouterFunctionMapping openAiGatewayRouteMapping(OpenAiChatCompletions completions, ServerCodecConfigurer codecs) {
		RouterFunctionMapping mapping = new RouterFunctionMapping(routes(completions));
		mapping.setOrder(ORDER);
		mapping.setMessageReaders(codecs.getReaders());
		return mapping;
	}

	/**
	 * Orders WebFlux's {@link ServerResponseResultHandler} before the annotated controllers' result
	 * handlers. It tied with {@code ResponseEntityResultHandler} at order 0 and came second, so each
	 * chat answer was first checked, at the price of a {@code ResolvableType} built from the handler's
	 * method, against a handler that never takes a {@link ServerResponse}. It supports nothing else,
	 * so moving it changes no other endpoint's handling.
	 */
	@Bean
	static BeanPostProcessor serverResponsesFirst() {
		return new BeanPostProcessor() {
			@Override
			public Object postProcessBeforeInitialization(Object bean, String beanName) {
				if (bean instanceof ServerResponseResultHandler handler) {
					handler.setOrder(ORDER);
				}
				return bean;
			}
		};
	}

	// Not a bean: the shared router-function mapping would serve it a second time, after the actuator.
	static RouterFunction<ServerResponse> routes(OpenAiChatCompletions completions) {
		return RouterFunctions.route(RequestPredicates.POST(CHAT_COMPLETIONS), completions::handle)
			.andRoute(RequestPredicates.path(CHAT_COMPLETIONS),
					(request) -> Mono.error(new MethodNotAllowedException(request.method(), Set.of(HttpMethod.POST))));
	}

}
