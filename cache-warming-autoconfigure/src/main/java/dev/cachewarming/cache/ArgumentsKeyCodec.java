package dev.cachewarming.cache;

import tools.jackson.databind.JavaType;

/**
 * Encodes an {@link ArgumentsKey} as a JSON array and decodes it with the method's parameter types, so the
 * arguments of a call can be stored (in Redis, in a file) and replayed, never Java-deserialized.
 */
public final class ArgumentsKeyCodec implements KeyCodec {

    private final ValueJson json;

    private final JavaType[] types;

    /**
     * @param json JSON support
     * @param types the declared type of each argument
     */
    public ArgumentsKeyCodec(ValueJson json, JavaType[] types) {
        this.json = json;
        this.types = types;
    }

    @Override
    public Object toLocal(Object key) {
        return key;
    }

    @Override
    public String encode(Object key) {
        return this.json.writeString(((ArgumentsKey) key).unsafeArguments());
    }

    @Override
    public Object localFromEncoded(String encoded) {
        return new ArgumentsKey(this.json.readArray(encoded, this.types));
    }
}
