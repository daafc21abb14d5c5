/**
 * Spring AI's {@code ChatClient} over the fallback chain, {@code POST /chat/spring-ai}: compiled only
 * with the {@code spring-ai} Maven profile, served only with the {@code spring-ai} Spring profile.
 */
@NullMarked
package dev.llmfallback.sample.springai;

import org.jspecify.annotations.NullMarked;
