package dev.cachewarming.redis;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Names entries in Redis: {@code <prefix>:<cache>:<key>}. A key part longer than {@value #MAX_KEY_LENGTH}
 * characters is replaced by {@code #} and its SHA-256, so any key makes a Redis key of bounded size.
 */
public final class RedisKeys {

    /** Longest key part kept as it is. */
    public static final int MAX_KEY_LENGTH = 200;

    private final String prefix;

    /**
     * @param prefix the namespace of every key, e.g. {@code cache-warming}
     */
    public RedisKeys(String prefix) {
        this.prefix = prefix;
    }

    /** @return the namespace */
    public String prefix() {
        return this.prefix;
    }

    /**
     * @param cache the cache name
     * @param encodedKey the encoded cache key
     * @return the Redis key
     */
    public String key(String cache, String encodedKey) {
        String keyPart = (encodedKey.length() > MAX_KEY_LENGTH) ? "#" + sha256(encodedKey) : encodedKey;
        return this.prefix + ':' + cache + ':' + keyPart;
    }

    /**
     * @param cache the cache name
     * @param encodedKey the encoded cache key
     * @return the key of the load lease on that entry; outside the cache's own key space, so clearing the cache
     * leaves leases alone
     */
    public String leaseKey(String cache, String encodedKey) {
        String keyPart = (encodedKey.length() > MAX_KEY_LENGTH) ? "#" + sha256(encodedKey) : encodedKey;
        return this.prefix + "::lease:" + cache + ':' + keyPart;
    }

    /**
     * @param cache the cache name
     * @return a {@code SCAN MATCH} pattern for every key of the cache
     */
    public String pattern(String cache) {
        return globEscape(this.prefix) + ':' + globEscape(cache) + ":*";
    }

    /** @return the pub/sub channel for invalidations */
    public String invalidationChannel() {
        return this.prefix + ":invalidations";
    }

    /**
     * @return the pub/sub channel for batches of warmed keys; apart from {@link #invalidationChannel()} so that
     * instances of a version that predates it (and would read a batch as a cleared cache) never receive one
     */
    public String batchInvalidationChannel() {
        return this.prefix + ":invalidations:batch";
    }

    static byte[] bytes(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }

    private static String sha256(String value) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes(value)));
        }
        catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", ex);
        }
    }

    private static String globEscape(String value) {
        StringBuilder escaped = new StringBuilder(value.length());
        for (char c : value.toCharArray()) {
            if (c == '*' || c == '?' || c == '[' || c == ']' || c == '\\') {
                escaped.append('\\');
            }
            escaped.append(c);
        }
        return escaped.toString();
    }
}
