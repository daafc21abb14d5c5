package dev.llmfallback.sample.gateway;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;

/**
 * The configured client keys, held as SHA-256 digests and compared in constant time: every key is
 * compared, whole, whatever matched, so the time taken says nothing about how much of a guess was
 * right, nor how long the keys are.
 */
final class ClientKeys {

	private final List<byte[]> digests;

	ClientKeys(List<String> keys) {
		this.digests = keys.stream().filter((key) -> key != null && !key.isBlank()).map(ClientKeys::digest).toList();
	}

	boolean isEmpty() {
		return this.digests.isEmpty();
	}

	/**
	 * @param presented the key a client sent
	 * @return the position of the matching key, or -1
	 */
	int match(String presented) {
		byte[] digest = digest(presented);
		int found = -1;
		for (int i = 0; i < this.digests.size(); i++) {
			if (MessageDigest.isEqual(this.digests.get(i), digest) && found < 0) {
				found = i;
			}
		}
		return found;
	}

	private static byte[] digest(String key) {
		try {
			return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is part of every Java platform", ex);
		}
	}

	@Override
	public String toString() {
		return this.digests.size() + " client keys";
	}

}
