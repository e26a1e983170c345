package dev.cachewarming.cache;

/**
 * Turns cache keys into the strings that name them in Redis and in invalidation messages, and back.
 *
 * <p>The in-process tier (L1) is keyed by {@link #toLocal(Object)}: for a typed codec that is the key itself,
 * so a hit costs no conversion; for the {@link #stringified(ValueJson) stringified} codec it is the string form,
 * because a key of unknown type cannot be rebuilt from an invalidation message.
 */
public interface KeyCodec {

    /**
     * @param key a caller's key
     * @return the key the in-process tier uses
     */
    Object toLocal(Object key);

    /**
     * @param key a caller's key
     * @return its stable string form (the same on every instance), used in Redis keys and messages
     */
    String encode(Object key);

    /**
     * @param encoded a string made by {@link #encode(Object)}, possibly on another instance
     * @return the matching in-process key
     */
    Object localFromEncoded(String encoded);

    /**
     * A codec for keys of a known type: JSON text decoded with that type; strings stay as they are.
     * @param json the JSON support
     * @param keyType the declared key type
     * @return the codec
     */
    static KeyCodec typed(ValueJson json, java.lang.reflect.Type keyType) {
        return new TypedKeyCodec(json, keyType);
    }

    /**
     * A codec for keys of unknown type (for example Spring's {@code @Cacheable} keys): the in-process tier is keyed
     * by the string form, so a string key and a number key with the same text name the same entry.
     * @param json the JSON support
     * @return the codec
     */
    static KeyCodec stringified(ValueJson json) {
        return new StringifiedKeyCodec(json);
    }
}
