package dev.cachewarming.cache;

import java.util.UUID;

import org.junit.jupiter.api.Test;

import org.springframework.cache.interceptor.SimpleKey;

import static org.assertj.core.api.Assertions.assertThat;

class KeyCodecTests {

    private final ValueJson json = ValueJson.defaults();

    record Sku(String code, int region) {
    }

    @Test
    void typedCodecKeepsTheKeyForL1AndRoundTripsItsEncoding() {
        KeyCodec codec = KeyCodec.typed(this.json, Sku.class);
        Sku key = new Sku("A-1", 3);

        assertThat(codec.toLocal(key)).isSameAs(key);
        assertThat(codec.localFromEncoded(codec.encode(key))).isEqualTo(key);
    }

    @Test
    void typedCodecDecodesNumbersAsTheDeclaredType() {
        KeyCodec codec = KeyCodec.typed(this.json, Long.class);

        assertThat(codec.encode(42L)).isEqualTo("42");
        assertThat(codec.localFromEncoded("42")).isEqualTo(42L).isInstanceOf(Long.class);
    }

    @Test
    void stringKeysAreStoredAsTheyAre() {
        KeyCodec codec = KeyCodec.typed(this.json, String.class);

        assertThat(codec.encode("sku:1")).isEqualTo("sku:1");
        assertThat(codec.localFromEncoded("sku:1")).isEqualTo("sku:1");
    }

    @Test
    void stringifiedCodecKeysL1ByTheStableStringForm() {
        KeyCodec codec = KeyCodec.stringified(this.json);
        UUID id = UUID.fromString("123e4567-e89b-12d3-a456-426614174000");

        assertThat(codec.toLocal(42L)).isEqualTo("42");
        assertThat(codec.toLocal(id)).isEqualTo(id.toString());
        assertThat(codec.toLocal(new SimpleKey("a", 1))).isEqualTo(codec.toLocal(new SimpleKey("a", 1)));
        assertThat(codec.encode(new Sku("B", 2))).isEqualTo("{\"code\":\"B\",\"region\":2}");
        assertThat(codec.localFromEncoded(codec.encode(7))).isEqualTo(codec.toLocal(7));
    }

    @Test
    void stringKeysGivenAsJacksonTypesAreStoredAsTheyAre() {
        KeyCodec codec = KeyCodec.typed(this.json, this.json.type(String.class));

        assertThat(codec.encode("k6")).isEqualTo("k6");
    }
}
