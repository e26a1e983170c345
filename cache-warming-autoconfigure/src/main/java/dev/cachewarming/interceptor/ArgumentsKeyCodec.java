package dev.cachewarming.interceptor;

import tools.jackson.databind.JavaType;

import dev.cachewarming.cache.KeyCodec;
import dev.cachewarming.cache.ValueJson;

/**
 * Encodes an {@link ArgumentsKey} as a JSON array and decodes it with the method's parameter types.
 */
final class ArgumentsKeyCodec implements KeyCodec {

    private final ValueJson json;

    private final JavaType[] types;

    ArgumentsKeyCodec(ValueJson json, JavaType[] types) {
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
