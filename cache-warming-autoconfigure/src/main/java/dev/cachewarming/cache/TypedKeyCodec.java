package dev.cachewarming.cache;

import java.lang.reflect.Type;

import tools.jackson.databind.JavaType;

/** {@link KeyCodec} for keys of a declared type; see {@link KeyCodec#typed(ValueJson, Type)}. */
final class TypedKeyCodec implements KeyCodec {

    private final ValueJson json;

    private final JavaType keyType;

    private final boolean stringKeys;

    TypedKeyCodec(ValueJson json, Type keyType) {
        this.json = json;
        this.keyType = json.type(keyType);
        this.stringKeys = this.keyType.hasRawClass(String.class);
    }

    @Override
    public Object toLocal(Object key) {
        return key;
    }

    @Override
    public String encode(Object key) {
        if (this.stringKeys && key instanceof String string) {
            return string;
        }
        return this.json.writeString(key);
    }

    @Override
    public Object localFromEncoded(String encoded) {
        return this.stringKeys ? encoded : this.json.readString(encoded, this.keyType);
    }
}
