package dev.cachewarming.memcached;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Names items in Memcached: {@code <prefix>:<cache>:<key>}, as in Redis, within Memcached's rules for keys (at most
 * {@value #MAX_LENGTH} bytes, no spaces or control characters).
 *
 * <p>The key part is escaped reversibly: every byte of its UTF-8 form outside the printable ASCII range, and
 * {@code %} itself, becomes {@code %XX}; so a key can be read back from a key dump ({@link #decodeKey}). A key
 * whose item name would be longer than {@value #MAX_LENGTH} bytes becomes {@code #<sha256>}: it works the same for
 * reads and writes, but a key dump cannot name it. Immutable and thread-safe.
 */
public final class MemcachedKeys {

    /** Longest key Memcached accepts, in bytes. */
    public static final int MAX_LENGTH = 250;

    private static final HexFormat HEX = HexFormat.of().withUpperCase();

    private final String prefix;

    /**
     * @param prefix the namespace of every item, e.g. {@code cache-warming}; printable ASCII without spaces
     * @throws IllegalArgumentException if the prefix cannot be part of a Memcached key
     */
    public MemcachedKeys(String prefix) {
        if (prefix.isEmpty() || !escape(prefix).equals(prefix) || prefix.length() > 100) {
            throw new IllegalArgumentException("A Memcached key prefix must be 1 to 100 printable ASCII characters "
                    + "without spaces or '%': '" + prefix + "'");
        }
        this.prefix = prefix;
    }

    /** @return the namespace */
    public String prefix() {
        return this.prefix;
    }

    /**
     * @param cache the cache name
     * @param encodedKey the encoded cache key
     * @return the item's key
     */
    public String key(String cache, String encodedKey) {
        return name(cacheSpace(cache), encodedKey);
    }

    /**
     * @param cache the cache name
     * @param encodedKey the encoded cache key
     * @return the key of the load lease on that entry, outside the cache's own key space
     */
    public String leaseKey(String cache, String encodedKey) {
        return name(this.prefix + "::lease:" + escape(cache) + ':', encodedKey);
    }

    /**
     * @param cache the cache name
     * @return the key of the cache's remembered hot keys
     */
    public String hotKeysKey(String cache) {
        String key = this.prefix + "::hot:" + escape(cache);
        return (key.length() <= MAX_LENGTH) ? key : this.prefix + "::hot:#" + sha256(cache);
    }

    /**
     * @param cache the cache name
     * @return how every item key of the cache begins
     */
    public String cacheSpace(String cache) {
        return this.prefix + ':' + escape(cache) + ':';
    }

    /**
     * Reads a cache key back from an item key (as a key dump lists them).
     * @param cache the cache name
     * @param itemKey an item key
     * @return the encoded cache key, or {@code null} if the item is not an entry of that cache or its key was
     * hashed
     */
    public String decodeKey(String cache, String itemKey) {
        String space = cacheSpace(cache);
        if (!itemKey.startsWith(space) || itemKey.startsWith("#", space.length())) {
            return null;
        }
        return unescape(itemKey.substring(space.length()));
    }

    private String name(String space, String encodedKey) {
        String escaped = escape(encodedKey);
        return (space.length() + escaped.length() <= MAX_LENGTH) ? space + escaped
                : space + '#' + sha256(encodedKey);
    }

    static String escape(String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        StringBuilder escaped = null;
        for (int i = 0; i < bytes.length; i++) {
            int b = bytes[i] & 0xFF;
            boolean plain = b > 0x20 && b < 0x7F && b != '%';
            if (escaped == null) {
                if (plain) {
                    continue;
                }
                escaped = new StringBuilder(bytes.length + 8).append(new String(bytes, 0, i, StandardCharsets.US_ASCII));
            }
            if (plain) {
                escaped.append((char) b);
            }
            else {
                escaped.append('%').append(HEX.toHexDigits((byte) b));
            }
        }
        return (escaped != null) ? escaped.toString() : value;
    }

    static String unescape(String escaped) {
        if (escaped.indexOf('%') < 0) {
            return escaped;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(escaped.length());
        for (int i = 0; i < escaped.length(); i++) {
            char c = escaped.charAt(i);
            if (c == '%' && i + 2 < escaped.length()) {
                bytes.write(HexFormat.fromHexDigits(escaped, i + 1, i + 3));
                i += 2;
            }
            else {
                bytes.write(c);
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static String sha256(String value) {
        try {
            return HexFormat.of()
                .formatHex(MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8)));
        }
        catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", ex);
        }
    }
}
