package dev.cachewarming.cache;

import java.lang.reflect.Type;

import tools.jackson.databind.JavaType;

/** {@link KeyCodec} for keys of a declared type; see {@link KeyCodec#typed(ValueJson, Type)}. */
final class TypedKeyCodec implements KeyCodec {

    private final ValueJson json;

    private final JavaType keyType;

    private final boolean stringKeys;

    private final boolean longKeys;

    TypedKeyCodec(ValueJson json, Type keyType) {
        this.json = json;
        this.keyType = json.type(keyType);
        this.stringKeys = this.keyType.hasRawClass(String.class);
        // Only when this mapper writes a Long as its plain decimal form (an application may write numbers as strings).
        this.longKeys = (this.keyType.hasRawClass(Long.class) || this.keyType.hasRawClass(long.class))
                && "-42".equals(json.writeString(-42L));
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
        if (this.longKeys && key instanceof Long number) {
            // The JSON of a number is its decimal form: the same key, without a JSON writer per key.
            return Long.toString(number);
        }
        return this.json.writeString(key);
    }

    @Override
    public Object localFromEncoded(String encoded) {
        if (this.stringKeys) {
            return encoded;
        }
        if (this.longKeys && isPlainLong(encoded)) {
            return Long.valueOf(encoded);
        }
        return this.json.readString(encoded, this.keyType);
    }

    private static boolean isPlainLong(String encoded) {
        int length = encoded.length();
        if (length == 0 || length > 18) {
            return false;
        }
        for (int i = (encoded.charAt(0) == '-' && length > 1) ? 1 : 0; i < length; i++) {
            if (encoded.charAt(i) < '0' || encoded.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }
}
