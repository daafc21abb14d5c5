package dev.llmfallback.provider.http;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Tool-call ids across wire formats. An id is kept where the target accepts it; otherwise it is
 * replaced by one derived from it deterministically (a hash), so a call and its result, mapped
 * apart within one request or in the next turn, still meet without any state kept between calls.
 * Formats whose answers carry no ids (Gemini may not, Ollama does not) get fresh ones.
 *
 * <p>Public: used by each format's mapping.
 */
public final class ToolCallIds {

	private static final HexFormat HEX = HexFormat.of();

	private ToolCallIds() {
	}

	/**
	 * The id as the target accepts it.
	 * @param id the caller's id
	 * @param allowed the characters and length the target accepts, e.g. {@code [a-zA-Z0-9_-]{1,64}}
	 * @return {@code id} when allowed, else {@code call_} and 24 hex digits of its SHA-256
	 */
	public static String fit(String id, Pattern allowed) {
		if (allowed.matcher(id).matches()) {
			return id;
		}
		try {
			byte[] hash = MessageDigest.getInstance("SHA-256").digest(id.getBytes(StandardCharsets.UTF_8));
			return "call_" + HEX.formatHex(hash, 0, 12);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is required of every JVM", ex);
		}
	}

	/**
	 * A fresh id for a call the provider gave none.
	 * @return {@code call_} and 24 random hex digits
	 */
	public static String fresh() {
		UUID uuid = UUID.randomUUID();
		return "call_" + HEX.toHexDigits(uuid.getMostSignificantBits()) + HEX.toHexDigits(uuid.getLeastSignificantBits()).substring(0, 8);
	}

}
