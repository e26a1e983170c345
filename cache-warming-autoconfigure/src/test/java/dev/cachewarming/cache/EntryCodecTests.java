package dev.cachewarming.cache;

import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import org.springframework.core.ParameterizedTypeReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Values round-trip as JSON of their declared type, with no class names stored. */
class EntryCodecTests {

    private final ValueJson json = ValueJson.defaults();

    record Product(long id, String name, List<String> tags, Instant launchedAt) {
    }

    record Page<T>(List<T> items, int total) {
    }

    private static Type typeOf(ParameterizedTypeReference<?> reference) {
        return reference.getType();
    }

    private Object roundTrip(Type type, Object value) {
        EntryCodec codec = new EntryCodec(this.json, type);
        // Load times are kept to the microsecond.
        byte[] bytes = codec.encode(new CacheEntry(value, 1L, 2L, 3_000L));
        assertThat(new String(bytes, StandardCharsets.UTF_8)).doesNotContain("@class").doesNotContain("dev.cachewarming");
        CacheEntry decoded = codec.decode(bytes);
        assertThat(decoded.writtenAt()).isEqualTo(1L);
        assertThat(decoded.expiresAt()).isEqualTo(2L);
        assertThat(decoded.loadNanos()).isEqualTo(3_000L);
        CacheEntry decodedLater = codec.decode(codec.decodeLazily(bytes));
        assertThat(decodedLater).as("decoded lazily, as warm-ups from L2 do").isEqualTo(decoded);
        assertThat(CanonicalEnvelope.read(bytes)).as("what encode writes is read by the fast path").isNotNull();
        CacheEntry[] batch = { new CacheEntry(value, 5L, 6L, 0L), new CacheEntry(value, 1L, 2L, 3_000L) };
        assertThat(codec.encodeAll(batch, 2)[1]).as("a batch encodes each value as encode does").isEqualTo(bytes);
        return decoded.value();
    }

    @Test
    void recordRoundTrips() {
        Product product = new Product(1, "Lamp", List.of("home", "light"), Instant.parse("2026-01-02T03:04:05Z"));

        assertThat(roundTrip(Product.class, product)).isEqualTo(product);
    }

    @Test
    void genericRecordKeepsItsTypeArgument() {
        Page<Product> page = new Page<>(List.of(new Product(2, "Desk", List.of(), Instant.EPOCH)), 1);

        Object decoded = roundTrip(typeOf(new ParameterizedTypeReference<Page<Product>>() {
        }), page);

        assertThat(decoded).isEqualTo(page);
        assertThat(((Page<?>) decoded).items().get(0)).isInstanceOf(Product.class);
    }

    @Test
    void collectionsAndMapsOfRecordsRoundTrip() {
        Map<String, List<Product>> byCategory = Map.of("garden",
                List.of(new Product(3, "Hose", List.of("water"), Instant.EPOCH)));

        Object decoded = roundTrip(typeOf(new ParameterizedTypeReference<Map<String, List<Product>>>() {
        }), byCategory);

        assertThat(decoded).isEqualTo(byCategory);
    }

    @Test
    void optionalRoundTripsPresentAndEmpty() {
        Type optionalProduct = typeOf(new ParameterizedTypeReference<Optional<Product>>() {
        });
        Product product = new Product(4, "Rake", List.of(), Instant.EPOCH);

        assertThat(roundTrip(optionalProduct, Optional.of(product))).isEqualTo(Optional.of(product));
        assertThat(roundTrip(optionalProduct, Optional.empty())).isEqualTo(Optional.empty());
    }

    @Test
    void absentValueRoundTripsAsNull() {
        assertThat(roundTrip(Product.class, null)).isNull();
    }

    @Test
    void typeNamesInTheDataAreNeverUsedToInstantiate() {
        EntryCodec codec = new EntryCodec(this.json, Object.class);
        String hostile = "{\"v\":[\"java.net.URL\",\"http://attacker.example\"],\"w\":1,\"e\":2,\"l\":0}";

        Object value = codec.decode(hostile.getBytes(StandardCharsets.UTF_8)).value();

        assertThat(value).isInstanceOf(List.class).isEqualTo(List.of("java.net.URL", "http://attacker.example"));
    }

    @Test
    void valueOfAnotherShapeFailsToDecodeInsteadOfBeingCoerced() {
        EntryCodec codec = new EntryCodec(this.json, Product.class);

        assertThatThrownBy(() -> codec.decode("{\"v\":[1,2],\"w\":1,\"e\":2,\"l\":0}".getBytes(StandardCharsets.UTF_8)))
            .isInstanceOf(RuntimeException.class);
    }

    @Test
    void unknownPropertiesFromANewerVersionAreIgnored() {
        EntryCodec codec = new EntryCodec(this.json, Product.class);
        String newer = "{\"v\":{\"id\":5,\"name\":\"Saw\",\"tags\":[],\"launchedAt\":null,\"color\":\"red\"},"
                + "\"w\":1,\"e\":2,\"l\":0,\"x\":true}";

        Product product = (Product) codec.decode(newer.getBytes(StandardCharsets.UTF_8)).value();

        assertThat(product.name()).isEqualTo("Saw");
    }

    @Test
    void aLazilyReadEntryFindsItsValueWhereverTheEnvelopePutsIt() {
        EntryCodec codec = new EntryCodec(this.json, Product.class);
        String reordered = "{\"w\":1,\"x\":{\"a\":[1,{\"v\":0}]},\"e\":2,"
                + "\"v\":{\"id\":5,\"name\":\"Saw \\\"pro\\\"\",\"tags\":[\"a\"],\"launchedAt\":null},\"l\":3000}";

        CacheEntry entry = codec.decode(codec.decodeLazily(reordered.getBytes(StandardCharsets.UTF_8)));

        assertThat(((Product) entry.value()).name()).isEqualTo("Saw \"pro\"");
        assertThat(entry.writtenAt()).isEqualTo(1L);
        assertThat(entry.expiresAt()).isEqualTo(2L);
        assertThat(entry.loadNanos()).isEqualTo(3_000L);
    }

    @Test
    void aValueOfAnotherShapeFailsWhenItIsDecodedNotWhenItIsFound() {
        EntryCodec codec = new EntryCodec(this.json, Product.class);

        EncodedEntry found = codec.decodeLazily("{\"v\":[1,2],\"w\":1,\"e\":2,\"l\":0}".getBytes(StandardCharsets.UTF_8));

        assertThat(found.expiresAt).isEqualTo(2L);
        assertThatThrownBy(() -> codec.decode(found)).isInstanceOf(RuntimeException.class);
        assertThatThrownBy(() -> codec.decodeLazily("[1]".getBytes(StandardCharsets.UTF_8)))
            .isInstanceOf(RuntimeException.class);
        assertThatThrownBy(() -> codec.decodeLazily("{\"w\":1}".getBytes(StandardCharsets.UTF_8)))
            .as("no value, no expiry").isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theFastPathReadsOnlyTheCanonicalFormAndLeavesTheRestToTheParser() {
        byte[] canonical = "{\"v\":{\"a\":\",\\\"w\\\":1\"},\"w\":17,\"e\":1800000000000,\"l\":42}"
            .getBytes(StandardCharsets.UTF_8);
        EncodedEntry read = CanonicalEnvelope.read(canonical);
        assertThat(read.writtenAt).isEqualTo(17L);
        assertThat(read.expiresAt).isEqualTo(1_800_000_000_000L);
        assertThat(read.loadNanos).isEqualTo(42L);
        assertThat(new String(canonical, read.valueOffset, read.valueLength, StandardCharsets.UTF_8))
            .isEqualTo("{\"a\":\",\\\"w\\\":1\"}");
        for (String other : List.of("{\"v\":1,\"w\":1,\"e\":2,\"l\":3,\"x\":4}", "{\"w\":1,\"e\":2,\"l\":3,\"v\":1}",
                "{\"v\":1, \"w\":1, \"e\":2, \"l\":3}", "{\"v\":1,\"w\":1,\"e\":2.5,\"l\":3}", "{\"v\":,\"w\":1,\"e\":2,\"l\":3}")) {
            assertThat(CanonicalEnvelope.read(other.getBytes(StandardCharsets.UTF_8))).as(other).isNull();
        }
        EntryCodec codec = new EntryCodec(this.json, Integer.class);
        CacheEntry spaced = codec.decode(codec.decodeLazily("{\"v\":1, \"w\":1, \"e\":2, \"l\":3000}"
            .getBytes(StandardCharsets.UTF_8)));
        assertThat(spaced.value()).as("the parser reads what the fast path leaves").isEqualTo(1);
        assertThat(spaced.expiresAt()).isEqualTo(2L);
    }

    @Test
    void theFastPathLeavesNumbersItCannotReadExactlyToTheParser() {
        for (String other : List.of("{\"v\":1,\"w\":1,\"e\":2,\"l\":9999999999999999999}",
                "{\"v\":1,\"w\":1,\"e\":1234567890123456789,\"l\":3}", "{\"v\":1,\"w\":1,\"e\":02,\"l\":3}")) {
            assertThat(CanonicalEnvelope.read(other.getBytes(StandardCharsets.UTF_8))).as(other).isNull();
        }
        EncodedEntry eighteenDigits = CanonicalEnvelope
            .read("{\"v\":1,\"w\":1,\"e\":999999999999999999,\"l\":0}".getBytes(StandardCharsets.UTF_8));
        assertThat(eighteenDigits.expiresAt).isEqualTo(999_999_999_999_999_999L);
    }

    @Test
    void fieldsBetweenTheValueAndTheTimesMakeAMissNotAWrongValue() {
        EntryCodec codec = new EntryCodec(this.json, Integer.class);
        EncodedEntry found = codec
            .decodeLazily("{\"v\":1,\"x\":2,\"w\":1,\"e\":2,\"l\":0}".getBytes(StandardCharsets.UTF_8));

        assertThatThrownBy(() -> codec.decode(found)).isInstanceOf(RuntimeException.class);
    }

    @Test
    void theParserReadsEnvelopesOfAMapperWithOtherNamesOrNumbersAsStrings() {
        EntryCodec codec = new EntryCodec(this.json, Integer.class);

        CacheEntry upper = codec.decode(codec.decodeLazily("{\"V\":7,\"W\":1,\"E\":2,\"L\":3000}"
            .getBytes(StandardCharsets.UTF_8)));
        CacheEntry strings = codec.decode(codec.decodeLazily("{\"v\":7,\"w\":\"1\",\"e\":\"2\",\"l\":\"3000\"}"
            .getBytes(StandardCharsets.UTF_8)));

        for (CacheEntry entry : List.of(upper, strings)) {
            assertThat(entry.value()).isEqualTo(7);
            assertThat(entry.writtenAt()).isEqualTo(1L);
            assertThat(entry.expiresAt()).isEqualTo(2L);
            assertThat(entry.loadNanos()).isEqualTo(3_000L);
        }
        assertThatThrownBy(() -> codec.decodeLazily("{\"v\":7,\"w\":1,\"e\":\"soon\",\"l\":0}"
            .getBytes(StandardCharsets.UTF_8))).isInstanceOf(IllegalArgumentException.class);
    }
}
