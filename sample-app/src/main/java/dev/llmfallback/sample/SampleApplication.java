package dev.llmfallback.sample;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.cfg.CoercionAction;
import tools.jackson.databind.cfg.CoercionInputShape;
import tools.jackson.databind.type.LogicalType;
import tools.jackson.module.blackbird.BlackbirdModule;

/** A WebFlux application that answers chats through a fallback chain. */
@SpringBootApplication
public class SampleApplication {

	public static void main(String[] args) {
		SpringApplication.run(SampleApplication.class, args);
	}

	/**
	 * Jackson's Blackbird module: request bodies are records, and Jackson 3.1 calls their constructors
	 * through {@code MethodHandle.invokeWithArguments}, which builds an argument spreader on every call
	 * (1.1 % of the gateway's CPU); Blackbird builds a function per creator once. Boot adds every
	 * {@code JacksonModule} bean to the application's mapper.
	 */
	@Bean
	BlackbirdModule blackbird() {
		return new BlackbirdModule();
	}

	/**
	 * Request bodies are read strictly: {@code "prompt": 5}, {@code "temperature": "0.5"} or
	 * {@code "maxTokens": 1.5} is a 400 naming the field, not a silent conversion.
	 */
	@Bean
	JsonMapperBuilderCustomizer strictRequestBodies() {
		return (builder) -> builder.disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
			.disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
			.withCoercionConfig(LogicalType.Textual,
					(config) -> config.setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
						.setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
						.setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail));
	}

}
