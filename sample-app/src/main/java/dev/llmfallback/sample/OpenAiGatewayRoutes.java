package dev.llmfallback.sample;

import java.util.Set;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.http.HttpMethod;
import org.springframework.http.server.reactive.observation.ServerRequestObservationContext;
import org.springframework.web.reactive.handler.AbstractHandlerMapping;
import org.springframework.web.server.MethodNotAllowedException;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebHandler;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;
import reactor.core.publisher.Mono;

/**
 * The gateway's chat route, {@code POST /v1/chat/completions}: a handler mapping of its own, asked
 * before any other, whose handler is a plain {@link WebHandler} ({@link OpenAiChatCompletions}).
 * Any other method on that path is a 405 naming POST, as an annotated mapping answers it.
 * <p>
 * Why not a router function or an annotated controller: this is the gateway's hot path. Behind a
 * shared mapping (order -1) every chat request was first looked up, and missed, in the actuator's
 * three annotated mappings (order -100 and after). A handler function also costs a server request
 * wrapper, a handler result with a {@code ResolvableType} built per request, and a pass through the
 * result handlers; a {@code WebHandler} is run by WebFlux's {@code SimpleHandlerAdapter} and
 * returns no result at all. This mapping matches one method on one path and answers every other
 * request at once with no handler. (Global CORS mappings of a {@code WebFluxConfigurer} are not
 * applied to it; the gateway configures none, and one called from browsers would set them on this
 * mapping.)
 */
@Configuration(proxyBeanMethods = false)
class OpenAiGatewayRoutes {

	static final String CHAT_COMPLETIONS = "/v1/chat/completions";

	/**
	 * The order of the route's mapping: before the actuator's mappings, after anything that
	 * explicitly asks to be first.
	 */
	static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 100;

	@Bean
	ChatCompletionsMapping openAiGatewayRouteMapping(OpenAiChatCompletions completions) {
		ChatCompletionsMapping mapping = new ChatCompletionsMapping(completions::handle);
		mapping.setOrder(ORDER);
		return mapping;
	}

	/** Maps {@code POST /v1/chat/completions} to the chat handler, and other methods there to a 405. */
	static final class ChatCompletionsMapping extends AbstractHandlerMapping {

		private static final PathPattern PATH = PathPatternParser.defaultInstance.parse(CHAT_COMPLETIONS);

		private static final Mono<Object> NOT_ALLOWED = Mono.just((WebHandler) (exchange) -> Mono
			.error(new MethodNotAllowedException(exchange.getRequest().getMethod(), Set.of(HttpMethod.POST))));

		private final Mono<Object> chat;

		ChatCompletionsMapping(WebHandler chat) {
			this.chat = Mono.just(chat);
		}

		@Override
		protected Mono<?> getHandlerInternal(ServerWebExchange exchange) {
			if (!PATH.matches(exchange.getRequest().getPath().pathWithinApplication())) {
				return Mono.empty();
			}
			// What WebFlux's own mappings record of a match: the http.server.requests uri tag comes from it.
			exchange.getAttributes().put(BEST_MATCHING_PATTERN_ATTRIBUTE, PATH);
			ServerRequestObservationContext.findCurrent(exchange.getAttributes())
				.ifPresent((observation) -> observation.setPathPattern(CHAT_COMPLETIONS));
			return HttpMethod.POST.equals(exchange.getRequest().getMethod()) ? this.chat : NOT_ALLOWED;
		}

	}

}
