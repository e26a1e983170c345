package dev.cachewarming.redis;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RedisKeysTests {

    private final RedisKeys keys = new RedisKeys("shop");

    @Test
    void keysAreNamespacedByPrefixAndCache() {
        assertThat(this.keys.key("products", "42")).isEqualTo("shop:products:42");
        assertThat(this.keys.invalidationChannel()).isEqualTo("shop:invalidations");
    }

    @Test
    void keysOfUpTo200CharactersAreKeptAsTheyAre() {
        String key = "k".repeat(200);

        assertThat(this.keys.key("c", key)).isEqualTo("shop:c:" + key);
    }

    @Test
    void longerKeysAreReplacedByTheirSha256() {
        String key = "k".repeat(201);

        String redisKey = this.keys.key("c", key);

        assertThat(redisKey).startsWith("shop:c:#").hasSize("shop:c:#".length() + 64);
        assertThat(this.keys.key("c", key)).isEqualTo(redisKey);
        assertThat(this.keys.key("c", key + "x")).isNotEqualTo(redisKey);
    }

    @Test
    void scanPatternEscapesGlobCharactersInNames() {
        assertThat(new RedisKeys("a*b").pattern("c[1]")).isEqualTo("a\\*b:c\\[1\\]:*");
    }
}
