package dev.llmfallback;

import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import org.jspecify.annotations.Nullable;

/**
 * One part of a message's content: text, or an image given by URL or as base64 data. A message
 * made with {@link ChatMessage#user(String)} has one {@link Text} part.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({ @JsonSubTypes.Type(value = ContentPart.Text.class, name = "text"),
		@JsonSubTypes.Type(value = ContentPart.Image.class, name = "image") })
public sealed interface ContentPart {

	/**
	 * A text part.
	 * @param text the text
	 * @return the part
	 */
	static Text text(String text) {
		return new Text(text);
	}

	/**
	 * An image by URL. A {@code data:} URL ({@code data:image/png;base64,...}) is taken apart into
	 * its media type and base64 data, so that every wire format can send it as inline data.
	 * @param url an {@code http(s)} URL or a base64 {@code data:} URL
	 * @return the part
	 * @throws LlmException of category {@code bad_request} for a {@code data:} URL that is not
	 * base64 image data
	 */
	static Image imageUrl(String url) {
		return Image.ofUrl(url, null);
	}

	/**
	 * An image as base64 data.
	 * @param mediaType its media type, e.g. {@code image/png}
	 * @param base64 the image's bytes, base64-encoded
	 * @return the part
	 */
	static Image imageData(String mediaType, String base64) {
		return new Image(null, mediaType, base64, null);
	}

	/**
	 * Text.
	 *
	 * @param text the text, never {@code null}
	 */
	record Text(String text) implements ContentPart {

		public Text {
			text = (text != null) ? text : "";
		}

	}

	/**
	 * An image: either by {@code url} or as base64 {@code data} with its {@code mediaType}.
	 *
	 * @param url where the image is, or {@code null} when it comes as data
	 * @param mediaType the media type of {@code data} (e.g. {@code image/jpeg}), or {@code null}
	 * for a URL
	 * @param data the image's bytes base64-encoded, or {@code null} for a URL
	 * @param detail OpenAI's {@code detail} hint ({@code low}, {@code high}, {@code auto}), or
	 * {@code null}
	 */
	record Image(@Nullable String url, @Nullable String mediaType, @Nullable String data,
			@Nullable String detail) implements ContentPart {

		public Image {
			if ((url == null) == (data == null)) {
				throw badRequest("an image part needs either a url or base64 data, not both");
			}
			if (data != null) {
				if (mediaType == null || mediaType.isBlank()) {
					throw badRequest("an image given as base64 data needs its media type, e.g. image/png");
				}
				checkBase64(data);
			}
		}

		/**
		 * An image by URL with OpenAI's {@code detail} hint; {@code data:} URLs become data.
		 * @param url an {@code http(s)} URL or a base64 {@code data:} URL
		 * @param detail the hint, or {@code null}
		 * @return the part
		 */
		public static Image ofUrl(String url, @Nullable String detail) {
			Objects.requireNonNull(url, "url");
			if (!url.regionMatches(true, 0, "data:", 0, 5)) {
				if (url.isBlank()) {
					throw badRequest("an image url must not be blank");
				}
				return new Image(url, null, null, detail);
			}
			int comma = url.indexOf(',');
			String header = (comma > 0) ? url.substring(5, comma) : "";
			if (comma < 0 || !header.regionMatches(true, header.length() - 7, ";base64", 0, 7)) {
				throw badRequest("an image data URL must be base64: data:<media type>;base64,<data>");
			}
			String mediaType = header.substring(0, header.length() - 7);
			if (!mediaType.regionMatches(true, 0, "image/", 0, 6)) {
				throw badRequest("an image data URL must carry an image/* media type, was '" + mediaType + "'");
			}
			return new Image(null, mediaType, url.substring(comma + 1), detail);
		}

		/** @return whether the image comes as base64 data rather than by URL */
		@JsonIgnore
		public boolean isData() {
			return this.data != null;
		}

		/**
		 * The image as a URL: its {@code url}, or a {@code data:} URL holding its data.
		 * @return the URL
		 */
		@JsonIgnore
		public String asUrl() {
			return (this.url != null) ? this.url : "data:" + this.mediaType + ";base64," + this.data;
		}

		private static void checkBase64(String data) {
			int length = data.length();
			if (length == 0) {
				throw badRequest("an image's base64 data must not be empty");
			}
			for (int i = 0; i < length; i++) {
				char c = data.charAt(i);
				boolean ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+'
						|| c == '/' || c == '=' || c == '-' || c == '_' || c == '\n' || c == '\r';
				if (!ok) {
					throw badRequest("an image's data is not base64 (character " + i + " is not a base64 character)");
				}
			}
		}

		@Override
		public String toString() {
			// Never the data: it can be megabytes.
			return (this.url != null) ? "Image[url=" + this.url + "]"
					: "Image[" + this.mediaType + ", " + Objects.requireNonNull(this.data).length() + " base64 chars]";
		}

	}

	private static LlmException badRequest(String message) {
		return LlmException.builder(ErrorCategory.BAD_REQUEST).message(message).build();
	}

}
