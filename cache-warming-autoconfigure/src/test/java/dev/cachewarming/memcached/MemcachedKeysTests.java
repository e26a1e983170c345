package dev.cachewarming.memcached;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class MemcachedKeysTests {

    private final MemcachedKeys keys = new MemcachedKeys("cw");

    @Test
    void plainKeysKeepTheirText() {
        assertThat(this.keys.key("products", "42")).isEqualTo("cw:products:42");
        assertThat(this.keys.leaseKey("products", "42")).isEqualTo("cw::lease:products:42");
    }

    @Test
    void spacesControlCharactersNonAsciiAndPercentAreEscapedReversibly() {
        String encoded = "[\"a b\",\"é\",\"100%\",\"tab\\t\"]";
        String item = this.keys.key("products", encoded);

        assertThat(item).doesNotContain(" ").matches("[\\x21-\\x7e]+");
        assertThat(item).contains("a%20b").contains("%C3%A9").contains("100%25");
        assertThat(this.keys.decodeKey("products", item)).isEqualTo(encoded);
    }

    @Test
    void keysTooLongForMemcachedAreHashedAndCannotBeReadBack() {
        String longKey = "x".repeat(300);
        String item = this.keys.key("products", longKey);

        assertThat(item).hasSizeLessThanOrEqualTo(MemcachedKeys.MAX_LENGTH).startsWith("cw:products:#");
        assertThat(this.keys.key("products", longKey)).isEqualTo(item);
        assertThat(this.keys.decodeKey("products", item)).isNull();
    }

    @Test
    void decodeKeyIgnoresOtherCaches() {
        assertThat(this.keys.decodeKey("products", this.keys.key("prices", "1"))).isNull();
        assertThat(this.keys.decodeKey("products", this.keys.key("products", "1"))).isEqualTo("1");
    }

    @Test
    void prefixMustBeUsableInAKey() {
        assertThatIllegalArgumentException().isThrownBy(() -> new MemcachedKeys("has space"));
        assertThatIllegalArgumentException().isThrownBy(() -> new MemcachedKeys(""));
    }
}
