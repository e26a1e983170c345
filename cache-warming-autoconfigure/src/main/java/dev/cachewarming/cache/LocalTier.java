package dev.cachewarming.cache;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.LongPredicate;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Policy;
import com.github.benmanes.caffeine.cache.RemovalCause;

/**
 * The in-process tier (L1) of one {@link TieredCache}: Caffeine, and how an entry is held in it.
 *
 * <p>A cache holds only what its reads need, since L1 is where the heap goes:
 * <ul>
 * <li>the <em>value itself</em> (absent results as a marker) when nothing but freshness is asked of an entry: no
 * stale window and no refresh-ahead. Caffeine's own per-entry expiry, which never outlives the value's freshness
 * here, is then the freshness: an entry costs what it costs in a bare Caffeine with expiry;</li>
 * <li>a {@link CacheEntry} with the timing facts (32 bytes) when stale reads are allowed;</li>
 * <li>a {@link TrackedEntry} (48 bytes) when reads are tracked for refresh-ahead;</li>
 * <li>an {@link EncodedEntry}, the bytes read from Redis, when a warm-up copied it from L2: decoded by its first
 * read and replaced by one of the above.</li>
 * </ul>
 * Readers never see the difference: {@link #entry} gives a {@link CacheEntry} for any of them, and
 * {@link #freshValue} the value of a fresh one without allocating.
 *
 * <p>Thread-safe.
 */
final class LocalTier {

    /** What {@link #freshValue} answers when there is no fresh value: never a cached value. */
    static final Object MISS = new Marker("MISS");

    // A null (absent) result, held as a value: Caffeine holds no nulls.
    private static final Object ABSENT = new Marker("ABSENT");

    private final CacheSettings settings;

    private final Clock clock;

    private final Cache<Object, Object> cache;

    private final Policy.VarExpiration<Object, Object> expiration;

    private final EntryCodec codec;

    private final CacheStatistics stats;

    private final long staleMillis;

    private volatile boolean tracksReads;

    LocalTier(CacheSettings settings, Clock clock, EntryCodec codec, CacheStatistics stats) {
        this.settings = settings;
        this.clock = clock;
        this.codec = codec;
        this.stats = stats;
        this.staleMillis = settings.staleTtl().toMillis();
        this.cache = Caffeine.newBuilder()
            // Caffeine's expiry is the freshness of bare values, so it runs on the clock entries are timed with; the
            // coarse clock's ticker makes its checks a volatile read instead of a clock call.
            .ticker((clock instanceof CoarseClock coarse) ? coarse
                    : () -> TimeUnit.MILLISECONDS.toNanos(clock.millis()))
            .maximumSize(settings.l1MaxSize())
            .expireAfter(new KeepExpiry())
            .evictionListener(this::onEviction)
            .build();
        this.expiration = this.cache.policy().expireVariably().orElseThrow();
    }

    /** From now on entries carry their last read time and reload context (refresh-ahead). */
    void trackReads() {
        this.tracksReads = true;
    }

    boolean tracksReads() {
        return this.tracksReads;
    }

    /**
     * @param localKey the L1 key
     * @param now the current time, epoch milliseconds
     * @return the fresh value ({@code null} for an absent result), or {@link #MISS}
     */
    Object freshValue(Object localKey, long now) {
        Object held = this.cache.getIfPresent(localKey);
        if (held == null) {
            return MISS;
        }
        if (held instanceof CacheEntry entry) {
            return entry.isFreshAt(now) ? entry.value() : MISS;
        }
        if (held instanceof EncodedEntry encoded) {
            CacheEntry decoded = decode(localKey, encoded);
            return (decoded != null && decoded.isFreshAt(now)) ? decoded.value() : MISS;
        }
        return (held != ABSENT) ? held : null;
    }

    /**
     * @param localKey the L1 key
     * @param now the current time, epoch milliseconds
     * @return the held entry, fresh or not, or {@code null}
     */
    CacheEntry entry(Object localKey, long now) {
        Object held = this.cache.getIfPresent(localKey);
        if (held == null || held instanceof CacheEntry) {
            return (CacheEntry) held;
        }
        if (held instanceof EncodedEntry encoded) {
            return decode(localKey, encoded);
        }
        // A bare value is fresh while Caffeine holds it; its expiry is Caffeine's.
        long remaining = this.expiration.getExpiresAfter(localKey, TimeUnit.MILLISECONDS).orElse(0L);
        Object value = (held != ABSENT) ? held : null;
        long expiresAt = now + Math.max(1, remaining);
        // Write and load times are not kept for bare values (nothing that reads them reads this cache): the write
        // time is the expiry less the un-jittered TTL.
        Duration ttl = CacheEntry.isAbsentValue(value) ? this.settings.absentTtl() : this.settings.ttl();
        return new CacheEntry(value, expiresAt - ttl.toMillis(), expiresAt, 0L);
    }

    /**
     * Stores an entry for as long as L1 keeps it ({@code l1-ttl}, jittered), never past its expiry plus the stale
     * window.
     */
    void store(Object localKey, CacheEntry entry, long now) {
        long millis = retention(entry.expiresAt(), now);
        if (millis <= 0) {
            this.cache.invalidate(localKey);
        }
        else if (this.tracksReads) {
            this.expiration.compute(localKey, (key, old) -> tracked(entry, old, now), Duration.ofMillis(millis));
        }
        else {
            this.expiration.put(localKey, held(entry), millis, TimeUnit.MILLISECONDS);
        }
    }

    /**
     * Stores an entry unless {@code invalidatedSince} says the key changed since the caller began: the check and
     * the store are one atomic step, so a concurrent write or eviction of the key always wins.
     * @return whether the entry was stored
     */
    boolean storeUnless(Object localKey, CacheEntry entry, long now, LongPredicate invalidatedSince,
            long startedNanos) {
        return storeUnless(localKey, entry.expiresAt(), now, invalidatedSince, startedNanos, entry);
    }

    /** {@link #storeUnless(Object, CacheEntry, long, LongPredicate, long)} for an entry not decoded yet. */
    boolean storeUnless(Object localKey, EncodedEntry entry, long now, LongPredicate invalidatedSince,
            long startedNanos) {
        return storeUnless(localKey, entry.expiresAt, now, invalidatedSince, startedNanos, entry);
    }

    private boolean storeUnless(Object localKey, long expiresAt, long now, LongPredicate invalidatedSince,
            long startedNanos, Object entry) {
        long millis = retention(expiresAt, now);
        if (millis <= 0 || invalidatedSince.test(startedNanos)) {
            return false;
        }
        boolean[] stored = new boolean[1];
        // Not Policy.VarExpiration.compute: it would give the kept entry of a rejected store the new entry's
        // duration, and a bare value (whose expiry is its freshness) would be served past its time. The map's
        // compute asks KeepExpiry, which applies the duration only where this call stored.
        long[] duration = KeepExpiry.REQUESTED.get();
        try {
            this.cache.asMap().compute(localKey, (key, existing) -> {
                if (invalidatedSince.test(startedNanos)) {
                    duration[0] = KeepExpiry.KEEP;
                    return existing;
                }
                Object replacement = (entry instanceof CacheEntry cacheEntry)
                        ? (this.tracksReads ? tracked(cacheEntry, existing, now) : held(cacheEntry))
                        : copied((EncodedEntry) entry, existing, now);
                if (entry instanceof EncodedEntry && replacement == existing) {
                    duration[0] = KeepExpiry.KEEP;
                    stored[0] = (existing != null);
                    return existing;
                }
                stored[0] = true;
                duration[0] = TimeUnit.MILLISECONDS.toNanos(millis);
                return replacement;
            });
        }
        finally {
            duration[0] = KeepExpiry.KEEP;
        }
        return stored[0];
    }

    /**
     * Records a read of a tracked entry (refresh-ahead), attaching how to reload it if it has no such context yet.
     * An entry held before tracking began is replaced by a tracked one.
     * @param localKey the L1 key
     * @param entry the entry read, as {@link #entry} returned it
     * @param now the current time, epoch milliseconds
     * @param reloadContext how to reload the key, kept by its first read
     * @return the tracked entry, or {@code null} if L1 no longer holds the entry
     */
    TrackedEntry recordRead(Object localKey, CacheEntry entry, long now, Object reloadContext) {
        if (entry instanceof TrackedEntry tracked) {
            return recordRead(tracked, now, reloadContext);
        }
        TrackedEntry[] upgraded = new TrackedEntry[1];
        // computeIfPresent keeps the entry's expiry (KeepExpiry.expireAfterUpdate).
        this.cache.asMap().computeIfPresent(localKey, (key, held) -> {
            // No call that reads or writes the cache in here (entry() may): Caffeine's map forbids it in a compute.
            CacheEntry current = heldEntry(held, entry);
            if (current == null) {
                return held;
            }
            upgraded[0] = (current instanceof TrackedEntry tracked) ? tracked
                    : new TrackedEntry(current, reloadContext, now);
            return upgraded[0];
        });
        return (upgraded[0] != null) ? recordRead(upgraded[0], now, reloadContext) : null;
    }

    /**
     * @param held what L1 holds for the key now
     * @param read the entry a reader built from what L1 held for it a moment ago
     * @return what {@code held} is as an entry, or {@code null} if that cannot be told without the cache (a bare
     * value other than the one read, whose expiry only the cache knows) or the bytes cannot be decoded
     */
    private CacheEntry heldEntry(Object held, CacheEntry read) {
        if (held instanceof CacheEntry cached) {
            return cached;
        }
        if (held instanceof EncodedEntry encoded) {
            try {
                return this.codec.decode(encoded);
            }
            catch (RuntimeException ex) {
                return null;
            }
        }
        Object value = (held != ABSENT) ? held : null;
        return (value == read.value()) ? read : null;
    }

    static TrackedEntry recordRead(TrackedEntry tracked, long now, Object reloadContext) {
        if (tracked.lastRead != now) {
            // Written only when the (millisecond) time moved: threads hitting one key do not fight over it.
            tracked.lastRead = now;
        }
        if (tracked.reloadContext == null && reloadContext != null) {
            tracked.reloadContext = reloadContext;
        }
        return tracked;
    }

    /**
     * Calls {@code visitor} with every tracked entry L1 holds (weakly consistent, as Caffeine iterates).
     * @param visitor gets the L1 key and the entry
     */
    void forEachTracked(java.util.function.BiConsumer<Object, TrackedEntry> visitor) {
        this.cache.asMap().forEach((key, held) -> {
            if (held instanceof TrackedEntry tracked) {
                visitor.accept(key, tracked);
            }
        });
    }

    void invalidate(Object localKey) {
        this.cache.invalidate(localKey);
    }

    void invalidateAll() {
        this.cache.invalidateAll();
    }

    long estimatedSize() {
        return this.cache.estimatedSize();
    }

    private long retention(long expiresAt, long now) {
        long retainMillis = expiresAt - now + this.staleMillis;
        return Math.min(this.settings.l1Millis(ThreadLocalRandom.current().nextDouble()), retainMillis);
    }

    /** What L1 holds for an entry of a cache that does not track reads. */
    private Object held(CacheEntry entry) {
        if (this.staleMillis > 0) {
            return entry;
        }
        Object value = entry.value();
        if (value == null) {
            return ABSENT;
        }
        // A value that is itself an entry (or could be taken for one) keeps its holder.
        return (value instanceof CacheEntry || value instanceof EncodedEntry || value instanceof Marker) ? entry
                : value;
    }

    /** A tracked entry that keeps what the entry it replaces knew about its reads. */
    private static TrackedEntry tracked(CacheEntry entry, Object old, long now) {
        if (entry instanceof TrackedEntry tracked) {
            return tracked;
        }
        if (old instanceof TrackedEntry previous) {
            return new TrackedEntry(entry, previous.reloadContext, previous.lastRead);
        }
        return new TrackedEntry(entry, null, now);
    }

    /**
     * What L1 holds for an entry copied from L2 where it held {@code existing}: the existing entry itself if it is
     * fresh and at least as new (a warm-up from L2 must not replace what this JVM wrote or read since), otherwise
     * the copy; a tracked entry's read history is carried over, which takes decoding the copy now.
     */
    private Object copied(EncodedEntry encoded, Object existing, long now) {
        if (existing instanceof CacheEntry held && held.writtenAt() >= encoded.writtenAt && held.isFreshAt(now)) {
            return existing;
        }
        if (!(existing instanceof TrackedEntry previous)) {
            return encoded;
        }
        try {
            return new TrackedEntry(this.codec.decode(encoded), previous.reloadContext, previous.lastRead);
        }
        catch (RuntimeException ex) {
            this.stats.l2DecodeErrors.increment();
            return existing;
        }
    }

    /**
     * Decodes an entry copied from L2 and puts the decoded entry in its place; an entry this version cannot read
     * is dropped (a miss, and the next write replaces it in Redis too).
     */
    private CacheEntry decode(Object localKey, EncodedEntry encoded) {
        CacheEntry decoded;
        try {
            decoded = this.codec.decode(encoded);
        }
        catch (RuntimeException ex) {
            this.stats.l2DecodeErrors.increment();
            this.cache.asMap().remove(localKey, encoded);
            return null;
        }
        Object replacement = this.tracksReads ? new TrackedEntry(decoded, null, this.clock.millis())
                : held(decoded);
        // Keeps the expiry (KeepExpiry.expireAfterUpdate); a concurrent write since wins, and this reader still
        // gets the value it decoded.
        this.cache.asMap().replace(localKey, encoded, replacement);
        return (replacement instanceof CacheEntry entry) ? entry : decoded;
    }

    private void onEviction(Object key, Object held, RemovalCause cause) {
        if (cause == RemovalCause.SIZE) {
            this.stats.l1SizeEvictions.increment();
        }
        else if (cause == RemovalCause.EXPIRED) {
            this.stats.l1Expirations.increment();
        }
    }

    /**
     * Every write sets its duration explicitly ({@link #store}); a replacement in place (a decoded value for its
     * encoded bytes, a tracked entry for an untracked one) keeps the remaining time.
     */
    private final class KeepExpiry implements Expiry<Object, Object> {

        /** {@link #REQUESTED} when no duration is requested. */
        static final long KEEP = -1;

        /**
         * The duration, in nanoseconds, a conditional store on this thread asks for the entry it is writing
         * ({@link #storeUnless}); Caffeine calls the expiry on the computing thread, inside the compute.
         */
        static final ThreadLocal<long[]> REQUESTED = ThreadLocal.withInitial(() -> new long[] { KEEP });

        @Override
        public long expireAfterCreate(Object key, Object held, long currentTime) {
            long requested = REQUESTED.get()[0];
            return (requested != KEEP) ? requested
                    : TimeUnit.MILLISECONDS.toNanos(LocalTier.this.settings.l1Ttl().toMillis());
        }

        @Override
        public long expireAfterUpdate(Object key, Object held, long currentTime, long currentDuration) {
            long requested = REQUESTED.get()[0];
            return (requested != KEEP) ? requested : currentDuration;
        }

        @Override
        public long expireAfterRead(Object key, Object held, long currentTime, long currentDuration) {
            return currentDuration;
        }
    }

    private record Marker(String name) {
    }
}
