package dev.cachewarming.cache;

import java.util.UUID;

/** {@link KeyCodec} for keys of unknown type; see {@link KeyCodec#stringified(ValueJson)}. */
final class StringifiedKeyCodec implements KeyCodec {

    private final ValueJson json;

    StringifiedKeyCodec(ValueJson json) {
        this.json = json;
    }

    @Override
    public Object toLocal(Object key) {
        return encode(key);
    }

    @Override
    public String encode(Object key) {
        if (key instanceof String string) {
            return string;
        }
        if (key instanceof Number || key instanceof Boolean || key instanceof Character || key instanceof Enum<?>
                || key instanceof UUID) {
            return key.toString();
        }
        if (key.getClass().getName().equals("org.springframework.cache.interceptor.SimpleKey")) {
            // SimpleKey has no accessors; its toString lists the parameters in order, which is what identifies it.
            return key.toString();
        }
        return this.json.writeString(key);
    }

    @Override
    public Object localFromEncoded(String encoded) {
        return encoded;
    }
}
