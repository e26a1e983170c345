package dev.cachewarming.cache;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How L1 keeps entries: a store that loses to a concurrent write leaves the kept entry's time alone, and a copy from
 * Redis never replaces what this JVM holds that is as new, nor drops what it knew about an entry's reads.
 */
class LocalTierTests {

    private final MutableClock clock = new MutableClock();

    private final EntryCodec codec = new EntryCodec(ValueJson.defaults(), String.class);

    private LocalTier tier() {
        // Bare values (no stale window, no refresh-ahead): Caffeine's expiry is their freshness.
        CacheSettings settings = new CacheSettings(Duration.ofMinutes(10), Duration.ofMinutes(10), 1000, true, 0.0,
                Duration.ofSeconds(1), Duration.ZERO);
        return new LocalTier(settings, this.clock, this.codec, new CacheStatistics());
    }

    private long now() {
        return this.clock.millis();
    }

    @Test
    void aStoreThatLosesToAConcurrentWriteLeavesTheKeptEntrysExpiryAlone() {
        LocalTier tier = tier();
        tier.store("k", new CacheEntry(null, now(), now() + 1_000, 0), now());

        boolean stored = tier.storeUnless("k", new CacheEntry("loaded", now(), now() + 600_000, 0), now(),
                (since) -> true, 0);
        this.clock.advance(Duration.ofSeconds(2));

        assertThat(stored).isFalse();
        assertThat(tier.freshValue("k", now())).as("the absent result expired after its own second")
            .isSameAs(LocalTier.MISS);
    }

    @Test
    void aStoreThatWinsGivesTheEntryItsOwnRetention() {
        LocalTier tier = tier();
        tier.store("k", new CacheEntry(null, now(), now() + 1_000, 0), now());

        boolean stored = tier.storeUnless("k", new CacheEntry("loaded", now(), now() + 600_000, 0), now(),
                (since) -> false, 0);
        this.clock.advance(Duration.ofSeconds(2));

        assertThat(stored).isTrue();
        assertThat(tier.freshValue("k", now())).isEqualTo("loaded");
    }

    @Test
    void anEvictionThatLandsAfterTheFirstCheckStillWinsOverTheStore() {
        LocalTier tier = tier();
        // The first check sees nothing; the eviction lands before the store.
        AtomicInteger checks = new AtomicInteger();

        boolean stored = tier.storeUnless("k", new CacheEntry("warmed", now(), now() + 600_000, 0), now(),
                (since) -> checks.incrementAndGet() > 1, 0);

        assertThat(stored).isFalse();
        assertThat(checks).hasValue(2);
        assertThat(tier.entry("k", now())).as("the eviction wins: L1 holds nothing").isNull();
    }

    @Test
    void aStoreIntoAnEmptyKeyGetsItsOwnRetention() {
        LocalTier tier = tier();

        boolean stored = tier.storeUnless("k", new CacheEntry("warmed", now(), now() + 1_000, 0), now(),
                (since) -> false, 0);

        assertThat(stored).isTrue();
        assertThat(tier.freshValue("k", now())).isEqualTo("warmed");
        this.clock.advance(Duration.ofSeconds(2));
        assertThat(tier.freshValue("k", now())).as("expired with its freshness").isSameAs(LocalTier.MISS);
    }

    @Test
    void aCopyFromRedisDoesNotReplaceANewerEntryNorItsReadHistory() {
        LocalTier tier = tier();
        tier.trackReads();
        long written = now();
        tier.store("k", new CacheEntry("newer", written, written + 600_000, 0), now());
        tier.recordRead("k", tier.entry("k", now()), now(), "reload-k");
        EncodedEntry older = this.codec.decodeLazily(
                this.codec.encode(new CacheEntry("older", written - 1_000, written + 500_000, 0)));

        tier.storeUnless("k", older, now(), (since) -> false, 0);

        CacheEntry held = tier.entry("k", now());
        assertThat(held.value()).isEqualTo("newer");
        assertThat(held).isInstanceOfSatisfying(TrackedEntry.class,
                (tracked) -> assertThat(tracked.reloadContext).isEqualTo("reload-k"));
    }

    @Test
    void aNewerCopyFromRedisKeepsTheReadHistoryOfTheEntryItReplaces() {
        LocalTier tier = tier();
        tier.trackReads();
        long written = now();
        tier.store("k", new CacheEntry("older", written, written + 600_000, 0), now());
        tier.recordRead("k", tier.entry("k", now()), now(), "reload-k");
        this.clock.advance(Duration.ofSeconds(5));
        EncodedEntry newer = this.codec.decodeLazily(
                this.codec.encode(new CacheEntry("newer", now(), now() + 600_000, 0)));

        boolean stored = tier.storeUnless("k", newer, now(), (since) -> false, 0);

        CacheEntry held = tier.entry("k", now());
        assertThat(stored).isTrue();
        assertThat(held.value()).isEqualTo("newer");
        assertThat(held).isInstanceOfSatisfying(TrackedEntry.class,
                (tracked) -> assertThat(tracked.reloadContext).isEqualTo("reload-k"));
    }
}
