package dev.llmfallback.provider.http;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.llmfallback.ChatMessage;
import dev.llmfallback.ContentPart;
import dev.llmfallback.ErrorCategory;
import dev.llmfallback.LlmException;
import org.jspecify.annotations.Nullable;

/**
 * The names of OpenAI's Chat Completions parameters that a {@link dev.llmfallback.ChatRequest}
 * carries in its {@code extra} map (those without a component of their own), per the official
 * spec's {@code CreateChatCompletionRequest}. A wire format translates the ones it has an
 * equivalent for; any other of these names is unsupported there, while a name outside this list
 * is the caller's provider-specific parameter and is passed through as it is.
 *
 * <p>Public: used by each format's mapping.
 */
public final class OpenAiParams {

	/** Spec parameters that may appear in {@code extra}. */
	public static final Set<String> EXTRA = Set.of("audio", "frequency_penalty", "function_call", "functions",
			"logit_bias", "logprobs", "max_completion_tokens", "metadata", "modalities", "moderation", "n",
			"prediction", "presence_penalty", "prompt_cache_key", "prompt_cache_options", "prompt_cache_retention",
			"reasoning_effort", "safety_identifier", "seed", "service_tier", "store", "stream_options",
			"top_logprobs", "verbosity", "web_search_options");

	/** An author's name on a message. */
	public static final String MESSAGE_NAME = "messages[].name";

	/** An image part's {@code detail} hint. */
	public static final String IMAGE_DETAIL = "image_url.detail";

	private OpenAiParams() {
	}

	/**
	 * The spec parameters among {@code extra} that a format does not translate.
	 * @param extra the request's extra parameters
	 * @param translated the spec names the format translates
	 * @return the names left over, in the request's order; empty for none
	 */
	public static List<String> untranslated(Map<String, Object> extra, Set<String> translated) {
		if (extra.isEmpty()) {
			return List.of();
		}
		List<String> names = null;
		for (String name : extra.keySet()) {
			if (EXTRA.contains(name) && !translated.contains(name)) {
				if (names == null) {
					names = new ArrayList<>(2);
				}
				names.add(name);
			}
		}
		return (names != null) ? names : List.of();
	}

	/**
	 * The spec parameters among {@code extra} that a format does not translate, leaving out those
	 * whose value asks for nothing (e.g. {@code n: 1}, {@code logprobs: false}), since leaving them
	 * out changes nothing.
	 * @param extra the request's extra parameters
	 * @param translated the spec names the format translates
	 * @param neutral per spec name, the value that asks for nothing (numbers compared by value)
	 * @return the names left over, in the request's order; empty for none
	 */
	public static List<String> untranslated(Map<String, Object> extra, Set<String> translated,
			Map<String, Object> neutral) {
		List<String> names = untranslated(extra, translated);
		if (names.isEmpty()) {
			return names;
		}
		List<String> asking = new ArrayList<>(names.size());
		for (String name : names) {
			if (!isNeutral(neutral.get(name), extra.get(name))) {
				asking.add(name);
			}
		}
		return asking;
	}

	private static boolean isNeutral(@Nullable Object neutral, @Nullable Object value) {
		if (neutral instanceof Number number && value instanceof Number given) {
			return given.doubleValue() == number.doubleValue();
		}
		return neutral != null && neutral.equals(value);
	}

	/**
	 * Names what a format without the spec's per-message extras cannot carry: an author's name
	 * ({@code messages[].name}), always, and an image's {@code detail} hint ({@code image_url.detail})
	 * unless the format has one. A detail of {@code auto} asks for nothing and is never named.
	 * @param messages the conversation
	 * @param detailCarried whether the format sends an image's detail hint
	 * @param names receives the names
	 */
	public static void messageFields(List<ChatMessage> messages, boolean detailCarried, List<String> names) {
		boolean named = false;
		boolean detail = false;
		for (ChatMessage message : messages) {
			named |= message.name() != null;
			if (!detailCarried && !message.textOnly()) {
				for (ContentPart part : message.parts()) {
					detail |= part instanceof ContentPart.Image image && image.detail() != null
							&& !"auto".equals(image.detail());
				}
			}
		}
		if (named) {
			names.add(MESSAGE_NAME);
		}
		if (detail) {
			names.add(IMAGE_DETAIL);
		}
	}

	/**
	 * The failure of a call whose request holds parts the format cannot carry and may not drop.
	 * @param provider the configured provider name
	 * @param names what cannot be carried
	 * @return the exception, category {@code unsupported}
	 */
	public static LlmException unsupported(String provider, List<String> names) {
		return LlmException.builder(ErrorCategory.UNSUPPORTED)
			.provider(provider)
			.message(provider + " has no equivalent for " + String.join(", ", names)
					+ " (set drop-unsupported-params: true on the policy to leave them out)")
			.build();
	}

}
