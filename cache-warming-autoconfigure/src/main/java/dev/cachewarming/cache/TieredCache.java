package dev.cachewarming.cache;

import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import dev.cachewarming.observation.CacheLoadContext;
import dev.cachewarming.observation.CacheObservations;
import dev.cachewarming.stampede.SingleFlight;

/**
 * A named two-level cache: Caffeine in this process (L1) in front of a shared store, Redis (L2).
 *
 * <p>Reads go L1, then L2 (a value found there is copied into L1), then the loader; concurrent loads of one key
 * in this JVM are coalesced into one. Writes go to both tiers and tell the other instances to drop their L1 copy.
 * Every TTL is jittered ({@link CacheSettings#jitter()}); a value stays in L1 no longer than
 * {@link CacheSettings#l1Ttl()} and never past its expiry in L2.
 *
 * <p>When L2 fails, the cache carries on with L1 and the loader: errors are counted, callers are served. A
 * cache without a {@link EntryCodec} (no declared value type) or with {@code l2Enabled=false} is in-process only.
 *
 * <pre>{@code
 * TieredCache products = registry.cache("products", Product.class, Long.class);
 * Product p = (Product) products.get(42L, () -> repository.findById(42L).orElse(null));
 * }</pre>
 *
 * <p>Thread-safe. Keys need value equality ({@code equals}/{@code hashCode}).
 */
public final class TieredCache {

    private static final Log logger = LogFactory.getLog(TieredCache.class);

    private final String name;

    private final CacheSettings settings;

    private final KeyCodec keyCodec;

    private final EntryCodec entryCodec;

    private final SecondLevel l2;

    private final Clock clock;

    private final LocalTier l1;

    private final SingleFlight<Object, CacheEntry> flights = new SingleFlight<>();

    // Refreshes may be skipped (another instance holds the lease); a miss must never join one and get nothing.
    private final SingleFlight<Object, CacheEntry> refreshFlights = new SingleFlight<>();

    private final CacheStatistics stats = new CacheStatistics();

    // Read on the load path only (never on a hit); null until a listener is added.
    private volatile LoadListener loadListener;

    // When each key was last evicted or overwritten outside a load, so a load that began earlier (and may hold an
    // older value) does not store it over the newer state. Bounded: only loads shorter than its expiry matter.
    private final Cache<Object, Long> invalidatedAt = Caffeine.newBuilder()
        .maximumSize(10_000)
        .expireAfterWrite(java.time.Duration.ofMinutes(2))
        .build();

    private volatile long clearedAtNanos;

    // Keys a put is writing now, with how many puts: until a put has written both tiers, a load or warm batch that
    // checks the key must not store. A put's start time alone is not enough: a batch that began after it and stores
    // L1 between the put's L1 and Redis writes would replace the put's value in L1 while Redis keeps the put's.
    private final java.util.concurrent.ConcurrentHashMap<Object, Integer> writing =
            new java.util.concurrent.ConcurrentHashMap<>();

    // Evictions and writes that could not reach Redis, replayed when it is back so peers and L2 drop old values.
    private final java.util.Set<String> pendingEvictions = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private volatile boolean pendingClear;

    // Only the load path observes: a hit never reaches it.
    private final CacheObservations observations;

    /**
     * A cache that makes no observations.
     * @param name the cache name
     * @param settings its settings
     * @param keyCodec how keys are named in L2 and in messages
     * @param entryCodec how values are stored in L2; {@code null} keeps the cache in-process only
     * @param l2 the shared tier; {@code null} keeps the cache in-process only
     * @param clock the wall clock entries are timed with
     */
    public TieredCache(String name, CacheSettings settings, KeyCodec keyCodec, EntryCodec entryCodec,
            SecondLevel l2, Clock clock) {
        this(name, settings, keyCodec, entryCodec, l2, clock, CacheObservations.NOOP);
    }

    /**
     * @param name the cache name
     * @param settings its settings
     * @param keyCodec how keys are named in L2 and in messages
     * @param entryCodec how values are stored in L2; {@code null} keeps the cache in-process only
     * @param l2 the shared tier; {@code null} keeps the cache in-process only
     * @param clock the wall clock entries are timed with
     * @param observations where each load (a run of the loader) is observed as {@code cache.load}
     */
    public TieredCache(String name, CacheSettings settings, KeyCodec keyCodec, EntryCodec entryCodec,
            SecondLevel l2, Clock clock, CacheObservations observations) {
        this.observations = observations;
        this.name = name;
        this.settings = settings;
        this.keyCodec = keyCodec;
        this.clock = clock;
        boolean shared = settings.l2Enabled() && entryCodec != null && l2 != null;
        this.entryCodec = shared ? entryCodec : null;
        this.l2 = shared ? l2 : null;
        this.l1 = new LocalTier(settings, clock, this.entryCodec, this.stats);
    }

    /** @return the cache name */
    public String name() {
        return this.name;
    }

    /** @return the settings the cache runs with */
    public CacheSettings settings() {
        return this.settings;
    }

    /** @return how keys are encoded */
    public KeyCodec keyCodec() {
        return this.keyCodec;
    }

    /** @return whether the cache uses the shared tier (L2) */
    public boolean isShared() {
        return this.l2 != null;
    }

    /** @return the shared tier's backend ({@link SecondLevel#backend()}), or {@code null} if the cache has none */
    public String sharedTierBackend() {
        return (this.l2 != null) ? this.l2.backend() : null;
    }

    /** @return the current time of the clock entries are timed with, epoch milliseconds */
    public long now() {
        return this.clock.millis();
    }

    /** @return the running counts */
    public CacheStatistics stats() {
        return this.stats;
    }

    /**
     * Adds a listener told the duration of every loader call this cache makes from now on: on a miss, a refresh
     * or {@link #load}. Warm-ups call their loaders themselves, and hits never call it.
     * @param listener the listener
     */
    public synchronized void addLoadListener(LoadListener listener) {
        LoadListener current = this.loadListener;
        this.loadListener = (current != null) ? current.andThen(listener) : listener;
    }

    /** @return how many calls waited for a load already under way in this JVM */
    public long coalescedLoads() {
        return this.flights.coalescedCount();
    }

    /**
     * Makes this cache's entries carry their reads (for refresh-ahead) from now on.
     * @return the reads of this cache's entries
     */
    public synchronized ReadTracking trackReads() {
        if (this.readTracking == null) {
            this.l1.trackReads();
            this.readTracking = new ReadTracking(this.l1, this.keyCodec);
        }
        return this.readTracking;
    }

    private ReadTracking readTracking;

    /** @return the approximate number of entries in the in-process tier */
    public long localSize() {
        return this.l1.estimatedSize();
    }

    /**
     * Looks a key up in L1, then in L2.
     * @param key the key
     * @return the fresh entry, or {@code null} on a miss
     */
    public CacheEntry getEntry(Object key) {
        return getEntry(key, false);
    }

    /**
     * Looks a key up in L1, then in L2.
     * @param key the key
     * @param allowStale whether an expired entry still held for {@link CacheSettings#staleTtl()} may be returned
     * (when no fresh one exists); the caller checks {@link CacheEntry#isFreshAt(long)}
     * @return the entry, or {@code null} on a miss
     */
    public CacheEntry getEntry(Object key, boolean allowStale) {
        Object localKey = this.keyCodec.toLocal(key);
        long now = this.clock.millis();
        CacheEntry local = this.l1.entry(localKey, now);
        if (local != null && local.isFreshAt(now)) {
            this.stats.l1Hits.increment();
            return local;
        }
        this.stats.l1Misses.increment();
        CacheEntry remote = readL2(key);
        if (remote != null && (remote.isFreshAt(now) || (allowStale && isRetained(remote, now)))) {
            this.stats.l2Hits.increment();
            storeL1(localKey, remote, now);
            return remote;
        }
        if (this.l2 != null) {
            this.stats.l2Misses.increment();
        }
        return (allowStale && local != null && isRetained(local, now)) ? local : null;
    }

    /**
     * Looks a key up in L1 only (counting the lookup). A caller that misses goes to
     * {@link #loadOnMiss(Object, Callable, LoadGuard, CacheEntry)}, where one caller per key reads Redis for all.
     * @param key the key
     * @param allowStale whether an expired entry still held for {@link CacheSettings#staleTtl()} may be returned
     * @return the L1 entry (fresh, or stale when allowed), or {@code null}
     */
    public CacheEntry getLocalEntry(Object key, boolean allowStale) {
        return getLocalEntry(key, allowStale, this.clock.millis());
    }

    /**
     * {@link #getLocalEntry(Object, boolean)} at a time the caller already read from {@link #now()}.
     * @param key the key
     * @param allowStale whether a stale entry may be returned
     * @param now the current time, epoch milliseconds
     * @return the L1 entry, or {@code null}
     */
    public CacheEntry getLocalEntry(Object key, boolean allowStale, long now) {
        CacheEntry local = this.l1.entry(this.keyCodec.toLocal(key), now);
        if (local != null && local.isFreshAt(now)) {
            this.stats.l1Hits.increment();
            return local;
        }
        this.stats.l1Misses.increment();
        return (allowStale && local != null && isRetained(local, now)) ? local : null;
    }

    /**
     * What {@link #getFreshValue(Object, long)} answers when L1 has no fresh value; never a cached value.
     */
    public static final Object MISS = LocalTier.MISS;

    /**
     * The hit path of a caller that needs nothing but a fresh value: looks a key up in L1 only (counting the
     * lookup) and allocates nothing. A caller that misses goes to {@link #loadOnMiss}.
     * @param key the key
     * @param now the current time, epoch milliseconds, from {@link #now()}
     * @return the fresh value ({@code null} for a cached absent result), or {@link #MISS}
     */
    public Object getFreshValue(Object key, long now) {
        Object value = this.l1.freshValue(this.keyCodec.toLocal(key), now);
        if (value != MISS) {
            this.stats.l1Hits.increment();
        }
        else {
            this.stats.l1Misses.increment();
        }
        return value;
    }

    /**
     * Returns the cached value, or loads, stores and returns it. Concurrent callers for one key in this JVM share
     * one load; each receives its value or its exception.
     * @param key the key
     * @param loader loads the value on a miss; may return {@code null} (an absent result)
     * @return the value ({@code null} for an absent result)
     * @throws CacheLoaderException if the loader threw a checked exception (unchecked ones pass unchanged)
     */
    public Object get(Object key, Callable<?> loader) {
        CacheEntry entry = getLocalEntry(key, false);
        return (entry != null) ? entry.value() : fly(key, loader, true, LoadGuard.NONE, null).value();
    }

    /**
     * Loads a key that was missed in L1 (or found stale there): one caller per key in this JVM reads Redis and, if
     * Redis has no fresh value, runs {@code guard}; the others wait for its outcome. So a burst of misses costs one
     * Redis read and at most one load, not one of each per caller.
     * @param key the key
     * @param loader loads the value
     * @param guard how the load runs (for example under a lease shared with other instances)
     * @param stale the expired entry held for the key, if any
     * @return the entry
     * @throws CacheLoaderException if the loader threw a checked exception (unchecked ones pass unchanged)
     */
    public CacheEntry loadOnMiss(Object key, Callable<?> loader, LoadGuard guard, CacheEntry stale) {
        return fly(key, loader, true, guard, stale);
    }

    /**
     * Loads and stores a key now, whatever is cached, unless a load of it is already under way in this JVM: then
     * waits for that one.
     * @param key the key
     * @param loader loads the value
     * @return the new entry
     * @throws CacheLoaderException if the loader threw a checked exception (unchecked ones pass unchanged)
     */
    public CacheEntry load(Object key, Callable<?> loader) {
        return fly(key, loader, false, LoadGuard.NONE, null);
    }

    /**
     * Reloads a key that is still cached, under a guard; a value another instance stored after {@code current}
     * is taken instead of loading.
     * @param key the key
     * @param loader loads the value
     * @param guard how the load runs
     * @param current the entry being refreshed
     * @return the new entry, or {@code null} if the guard skipped the reload
     */
    public CacheEntry refresh(Object key, Callable<?> loader, LoadGuard guard, CacheEntry current) {
        return fly(this.refreshFlights, key, loader, false, guard, current);
    }

    /**
     * @param key a key
     * @return whether a load of it is under way in this JVM
     */
    public boolean isLoading(Object key) {
        return this.flights.isRunning(this.keyCodec.toLocal(key));
    }

    /**
     * Reads a key from the shared tier only, copying a fresh value into L1.
     * @param key the key
     * @return the fresh entry found in L2, or {@code null}
     */
    public CacheEntry readShared(Object key) {
        long now = this.clock.millis();
        CacheEntry remote = readL2(key);
        if (remote != null && remote.isFreshAt(now)) {
            storeL1(this.keyCodec.toLocal(key), remote, now);
            return remote;
        }
        return null;
    }

    /**
     * Copies the fresh values Redis holds for many keys into L1, in one round trip. A key this JVM writes or evicts
     * meanwhile keeps that newer state.
     * @param keys the keys
     * @return the keys found with their entries, and the keys whose Redis value is there but cannot serve (expired
     * and only retained for stale reads, or unreadable by this version)
     */
    public SharedRead readSharedAll(java.util.List<Object> keys) {
        java.util.Map<Object, CacheEntry> found = new java.util.LinkedHashMap<>();
        java.util.Set<Object> unusable = new java.util.HashSet<>();
        if (this.l2 == null || !this.l2.isAvailable() || keys.isEmpty()) {
            return new SharedRead(found, unusable);
        }
        java.util.List<String> encoded = new java.util.ArrayList<>(keys.size());
        for (Object key : keys) {
            encoded.add(this.keyCodec.encode(key));
        }
        long started = System.nanoTime();
        java.util.List<byte[]> values;
        try {
            values = this.l2.getAll(this.name, encoded);
        }
        catch (RuntimeException ex) {
            onL2Error("read", ex);
            return new SharedRead(found, unusable);
        }
        long now = this.clock.millis();
        // Values are decoded by their first read, not here. The first value of the batch that proves anything (not
        // an absent result, which reads as any type) is decoded now, and if it cannot be (a value type changed since
        // Redis got the values, say) the whole batch is, so that every value this version cannot read is found now
        // and replaced by a warmed one rather than missed on its first read.
        boolean decodeNow = false;
        boolean sampled = false;
        for (int i = 0; i < keys.size(); i++) {
            byte[] bytes = values.get(i);
            if (bytes == null) {
                continue;
            }
            Object key = keys.get(i);
            Object localKey = this.keyCodec.toLocal(key);
            if (!sampled || decodeNow) {
                CacheEntry entry = copyDecoded(key, localKey, bytes, now, started, found, unusable);
                if (entry == null) {
                    decodeNow = true;
                }
                else {
                    sampled = !CacheEntry.isAbsentValue(entry.value());
                }
                continue;
            }
            EncodedEntry entry;
            try {
                entry = this.entryCodec.decodeLazily(bytes);
            }
            catch (RuntimeException ex) {
                // An envelope the lazy reader does not know (a user mapper's settings, say): the full decoder may.
                decodeNow = true;
                copyDecoded(key, localKey, bytes, now, started, found, unusable);
                continue;
            }
            if (entry.isFreshAt(now)) {
                this.l1.storeUnless(localKey, entry, now, (since) -> invalidatedSince(localKey, since), started);
                found.put(key, null);
            }
            else {
                unusable.add(key);
            }
        }
        return new SharedRead(found, unusable);
    }

    /**
     * Decodes one value of {@link #readSharedAll} now and copies it to L1 if it is fresh.
     * @return the entry, or {@code null} if this version cannot read it (counted, and the key is unusable)
     */
    private CacheEntry copyDecoded(Object key, Object localKey, byte[] bytes, long now, long started,
            java.util.Map<Object, CacheEntry> found, java.util.Set<Object> unusable) {
        CacheEntry entry;
        try {
            entry = this.entryCodec.decode(bytes);
        }
        catch (RuntimeException ex) {
            this.stats.l2DecodeErrors.increment();
            unusable.add(key);
            return null;
        }
        if (entry.isFreshAt(now)) {
            storeL1Unless(localKey, entry, now, started);
            found.put(key, entry);
        }
        else {
            unusable.add(key);
        }
        return entry;
    }

    /**
     * What {@link #readSharedAll(java.util.List)} found.
     *
     * @param found the keys with a fresh value, now also in L1 (with their entry where it was decoded already,
     * {@code null} where its first read decodes it)
     * @param unusable the keys whose value in Redis cannot serve: a warmed value should replace it
     */
    public record SharedRead(java.util.Map<Object, CacheEntry> found, java.util.Set<Object> unusable) {
    }

    /**
     * Stores a batch of warmed values. A warmed value is fresh from the source of truth, so it needs no lease and
     * no message of its own: Redis gets the batch in one round trip (one script, or a pipeline), each value only
     * where Redis holds none (a value another instance wrote after the caller looked is as new, and stays), then
     * one invalidation message naming the keys written; L1 gets the values Redis took. A key this JVM wrote or
     * evicted since {@code startedNanos} keeps that newer state: the warmed value is dropped from both tiers.
     *
     * <p>While Redis is unavailable the values go to L1 only (and nothing is replayed later: Redis holding
     * another instance's value for a key is as good).
     * @param values the loaded values by key; {@code null} or an empty {@code Optional} is an absent result
     * @param loadNanosEach how long loading each took, on average
     * @param startedNanos when loading them began, from {@link System#nanoTime()}
     * @param replace keys whose Redis value is known to be unusable (see {@link SharedRead#unusable()}): written
     * whatever Redis holds
     * @return how many values this call stored in L1
     */
    public int putWarmed(java.util.Map<Object, Object> values, long loadNanosEach, long startedNanos,
            java.util.Set<Object> replace) {
        long now = this.clock.millis();
        int size = values.size();
        Object[] keys = new Object[size];
        CacheEntry[] entries = new CacheEntry[size];
        long[] ttls = new long[size];
        int count = 0;
        for (java.util.Map.Entry<Object, Object> value : values.entrySet()) {
            boolean absent = CacheEntry.isAbsentValue(value.getValue());
            if (absent && !this.settings.cachesAbsentResults()) {
                continue;
            }
            long freshMillis = this.settings.freshMillis(absent, ThreadLocalRandom.current().nextDouble());
            keys[count] = value.getKey();
            entries[count] = new CacheEntry(value.getValue(), now, now + freshMillis, loadNanosEach);
            ttls[count] = freshMillis + this.settings.staleTtl().toMillis();
            count++;
        }
        byte[] inL2 = writeWarmedToL2(keys, entries, ttls, count, replace);
        int stored = 0;
        java.util.List<Object> superseded = null;
        for (int i = 0; i < count; i++) {
            if (inL2[i] == L2_KEPT_ITS_OWN) {
                continue;
            }
            if (storeL1Unless(this.keyCodec.toLocal(keys[i]), entries[i], now, startedNanos)) {
                stored++;
            }
            else if (inL2[i] == L2_WRITTEN || inL2[i] == L2_MAYBE_WRITTEN) {
                superseded = (superseded != null) ? superseded : new java.util.ArrayList<>();
                superseded.add(keys[i]);
            }
        }
        this.stats.puts.add(stored);
        if (superseded != null) {
            // Evicted or overwritten here while the batch loaded: the warmed copy in Redis may predate that.
            superseded.forEach(this::deleteShared);
        }
        return stored;
    }

    private static final byte L2_WRITTEN = 1;

    private static final byte L2_KEPT_ITS_OWN = 2;

    // The batch write failed or timed out after it was sent: some of its writes may have landed (or still will).
    private static final byte L2_MAYBE_WRITTEN = 3;

    /**
     * @return per entry: written to Redis, kept out because Redis holds a value already, or not written (no L2,
     * unavailable, failed, or a value that cannot be encoded)
     */
    private byte[] writeWarmedToL2(Object[] keys, CacheEntry[] entries, long[] ttls, int count,
            java.util.Set<Object> replace) {
        byte[] outcome = new byte[count]; // 0: not written
        if (this.l2 == null || count == 0 || !this.l2.isAvailable()) {
            return outcome;
        }
        int[] sent = new int[count];
        java.util.List<String> encodedKeys = new java.util.ArrayList<>(count);
        java.util.List<byte[]> encoded = new java.util.ArrayList<>(count);
        long[] sentTtls = new long[count];
        boolean[] onlyIfAbsent = new boolean[count];
        byte[][] batch;
        try {
            batch = this.entryCodec.encodeAll(entries, count);
        }
        catch (RuntimeException ex) {
            // One value cannot be written: encoded one by one below, so that only that one stays out of Redis.
            batch = null;
        }
        for (int i = 0; i < count; i++) {
            byte[] bytes;
            try {
                bytes = (batch != null) ? batch[i] : this.entryCodec.encode(entries[i]);
            }
            catch (RuntimeException ex) {
                // Kept in L1 only, as a value that cannot be written to Redis must be.
                this.stats.l2Errors.increment();
                logger.debug("Cannot encode the value of key '" + keys[i] + "' in cache '" + this.name + "'", ex);
                continue;
            }
            sent[encodedKeys.size()] = i;
            sentTtls[encodedKeys.size()] = ttls[i];
            onlyIfAbsent[encodedKeys.size()] = !replace.contains(keys[i]);
            encodedKeys.add(this.keyCodec.encode(keys[i]));
            encoded.add(bytes);
        }
        try {
            boolean[] written = this.l2.setAll(this.name, encodedKeys, encoded,
                    java.util.Arrays.copyOf(sentTtls, encodedKeys.size()),
                    java.util.Arrays.copyOf(onlyIfAbsent, encodedKeys.size()));
            for (int j = 0; j < written.length; j++) {
                outcome[sent[j]] = written[j] ? L2_WRITTEN : L2_KEPT_ITS_OWN;
            }
        }
        catch (RuntimeException ex) {
            onL2Error("write", ex);
            for (int j = 0; j < encodedKeys.size(); j++) {
                outcome[sent[j]] = L2_MAYBE_WRITTEN;
            }
        }
        return outcome;
    }

    private void deleteShared(Object key) {
        try {
            this.l2.delete(this.name, this.keyCodec.encode(key));
        }
        catch (RuntimeException ex) {
            onL2Error("evict", ex);
            remember(this.keyCodec.encode(key));
        }
    }

    /**
     * @param key a key
     * @return the in-process entry, fresh or not, without counting a lookup
     */
    public CacheEntry peekLocal(Object key) {
        return this.l1.entry(this.keyCodec.toLocal(key), this.clock.millis());
    }

    private CacheEntry fly(Object key, Callable<?> loader, boolean onMiss, LoadGuard guard, CacheEntry stale) {
        return fly(this.flights, key, loader, onMiss, guard, stale);
    }

    private CacheEntry fly(SingleFlight<Object, CacheEntry> flightsToJoin, Object key, Callable<?> loader,
            boolean onMiss, LoadGuard guard, CacheEntry stale) {
        Object localKey = this.keyCodec.toLocal(key);
        try {
            return flightsToJoin.run(localKey, () -> {
                if (onMiss) {
                    // A flight that ended between this caller's miss and now has stored a fresh value: use it.
                    long now = this.clock.millis();
                    CacheEntry justLoaded = this.l1.entry(localKey, now);
                    if (justLoaded != null && justLoaded.isFreshAt(now)) {
                        return justLoaded;
                    }
                    CacheEntry remote = readL2(key);
                    if (remote != null && remote.isFreshAt(now)) {
                        this.stats.l2Hits.increment();
                        storeL1(localKey, remote, now);
                        return remote;
                    }
                    if (this.l2 != null) {
                        this.stats.l2Misses.increment();
                    }
                }
                CacheLoadContext.Trigger trigger = (flightsToJoin == this.refreshFlights)
                        ? CacheLoadContext.Trigger.REFRESH
                        : onMiss ? CacheLoadContext.Trigger.MISS : CacheLoadContext.Trigger.EXPLICIT;
                return guard.run(this, key, stale, () -> this.observations.observeLoad(this.name, key, trigger,
                        CacheEntry::isAbsent, () -> loadNow(key, localKey, loader)));
            });
        }
        catch (RuntimeException | Error ex) {
            throw ex;
        }
        catch (Throwable ex) {
            throw new CacheLoaderException(this.name, key, ex);
        }
    }

    private CacheEntry loadNow(Object key, Object localKey, Callable<?> loader) throws Exception {
        long start = System.nanoTime();
        Object value;
        try {
            value = loader.call();
        }
        catch (Exception | Error ex) {
            this.stats.loadFailures.increment();
            notifyLoad(System.nanoTime() - start, false);
            throw ex;
        }
        long took = System.nanoTime() - start;
        this.stats.loadSuccesses.increment();
        this.stats.loadNanos.add(took);
        notifyLoad(took, true);
        if (invalidatedSince(localKey, start)) {
            // Evicted or overwritten while loading: this value may predate that change, so it is not stored.
            long now = this.clock.millis();
            return new CacheEntry(value, now, now, took);
        }
        return write(key, localKey, value, took, false);
    }

    private void notifyLoad(long nanos, boolean succeeded) {
        LoadListener listener = this.loadListener;
        if (listener == null) {
            return;
        }
        try {
            listener.onLoad(nanos, succeeded);
        }
        catch (RuntimeException ex) {
            // A meter must never cost the caller its value.
            logger.debug("Load listener of cache '" + this.name + "' failed", ex);
        }
    }

    private boolean invalidatedSince(Object localKey, long startNanos) {
        if (this.clearedAtNanos - startNanos > 0 || this.writing.containsKey(localKey)) {
            return true;
        }
        Long at = this.invalidatedAt.getIfPresent(localKey);
        return at != null && at - startNanos > 0;
    }

    /**
     * Stores a value in both tiers and tells the other instances.
     * @param key the key
     * @param value the value; {@code null} or an empty {@code Optional} is an absent result, stored for
     * {@link CacheSettings#absentTtl()} or, if that is zero, evicted instead
     * @return the stored entry (not held anywhere if an absent result is not cached)
     */
    public CacheEntry put(Object key, Object value) {
        return put(key, value, 0L);
    }

    /**
     * Stores a value that took {@code loadNanos} to load, in both tiers.
     * @param key the key
     * @param value the value (see {@link #put(Object, Object)})
     * @param loadNanos how long the load took, which refresh-ahead uses to decide when to reload
     * @return the stored entry
     */
    public CacheEntry put(Object key, Object value, long loadNanos) {
        Object localKey = this.keyCodec.toLocal(key);
        beginWrite(localKey);
        try {
            return write(key, localKey, value, loadNanos, true);
        }
        finally {
            endWrite(localKey);
        }
    }

    // No time is recorded here: while the put is under way a check sees it in writing, after it the end time.
    private void beginWrite(Object localKey) {
        this.writing.merge(localKey, 1, Integer::sum);
    }

    /** Records the end of a put before it stops counting as under way: a check in between sees one or the other. */
    private void endWrite(Object localKey) {
        this.invalidatedAt.put(localKey, System.nanoTime());
        this.writing.computeIfPresent(localKey, (key, count) -> (count > 1) ? count - 1 : null);
    }

    /**
     * @param changed whether the value replaces what the key held (a put), rather than reading the source of truth
     * again (a load): only a change that cannot reach Redis is remembered for replay. A value loaded during an outage
     * is as new as anything Redis or the other instances hold, and replaying every load of an outage would flood
     * Redis and empty the other instances' L1 the moment it answers again.
     */
    private CacheEntry write(Object key, Object localKey, Object value, long loadNanos, boolean changed) {
        long now = this.clock.millis();
        boolean absent = CacheEntry.isAbsentValue(value);
        if (absent && !this.settings.cachesAbsentResults()) {
            evict(key);
            return new CacheEntry(value, now, now, loadNanos);
        }
        long freshMillis = this.settings.freshMillis(absent, ThreadLocalRandom.current().nextDouble());
        CacheEntry entry = new CacheEntry(value, now, now + freshMillis, loadNanos);
        this.stats.puts.increment();
        storeL1(localKey, entry, now);
        if (this.l2 != null) {
            String encoded = this.keyCodec.encode(key);
            if (!this.l2.isAvailable()) {
                if (changed) {
                    remember(encoded);
                }
            }
            else {
                try {
                    this.l2.set(this.name, encoded, this.entryCodec.encode(entry),
                            freshMillis + this.settings.staleTtl().toMillis());
                }
                catch (RuntimeException ex) {
                    onL2Error("write", ex);
                    if (changed) {
                        remember(encoded);
                    }
                }
            }
        }
        return entry;
    }

    /**
     * Stores many values in both tiers whatever the keys hold, as {@link #put(Object, Object)} does for one: L1 at
     * once, then L2 in one batch ({@link SecondLevel#replaceAll}) that tells the other instances the keys changed.
     * <p>While Redis is unavailable (or the batch fails) L1 is written, the failure counted, and each key remembered
     * so that, when Redis answers again, its older value there is deleted and the other instances drop their copies;
     * until then their copies are bounded by {@code l1-ttl}.
     * @param values the values by key; {@code null} or an empty {@code Optional} is an absent result (see
     * {@link #put(Object, Object)})
     * @return how many values were stored in L1
     */
    public int putAll(java.util.Map<?, ?> values) {
        java.util.List<Object> localKeys = new java.util.ArrayList<>(values.size());
        try {
            return putAll(values, localKeys);
        }
        finally {
            localKeys.forEach(this::endWrite);
        }
    }

    private int putAll(java.util.Map<?, ?> values, java.util.List<Object> localKeys) {
        long now = this.clock.millis();
        java.util.List<String> encodedKeys = new java.util.ArrayList<>(values.size());
        java.util.List<byte[]> encoded = new java.util.ArrayList<>(values.size());
        long[] ttls = new long[values.size()];
        int stored = 0;
        for (java.util.Map.Entry<?, ?> value : values.entrySet()) {
            Object key = value.getKey();
            boolean absent = CacheEntry.isAbsentValue(value.getValue());
            if (absent && !this.settings.cachesAbsentResults()) {
                evict(key);
                continue;
            }
            Object localKey = this.keyCodec.toLocal(key);
            beginWrite(localKey);
            localKeys.add(localKey);
            long freshMillis = this.settings.freshMillis(absent, ThreadLocalRandom.current().nextDouble());
            CacheEntry entry = new CacheEntry(value.getValue(), now, now + freshMillis, 0L);
            storeL1(localKey, entry, now);
            stored++;
            if (this.l2 == null) {
                continue;
            }
            String encodedKey = this.keyCodec.encode(key);
            try {
                encoded.add(this.entryCodec.encode(entry));
            }
            catch (RuntimeException ex) {
                // Redis keeps an older value: deleted when evictions are replayed, as after an outage.
                this.stats.l2Errors.increment();
                logger.debug("Cannot encode the value of key '" + key + "' in cache '" + this.name + "'", ex);
                remember(encodedKey);
                continue;
            }
            ttls[encodedKeys.size()] = freshMillis + this.settings.staleTtl().toMillis();
            encodedKeys.add(encodedKey);
        }
        this.stats.puts.add(stored);
        if (!encodedKeys.isEmpty()) {
            if (!this.l2.isAvailable()) {
                encodedKeys.forEach(this::remember);
            }
            else {
                try {
                    this.l2.replaceAll(this.name, encodedKeys, encoded,
                            java.util.Arrays.copyOf(ttls, encodedKeys.size()));
                }
                catch (RuntimeException ex) {
                    onL2Error("write", ex);
                    encodedKeys.forEach(this::remember);
                }
            }
        }
        return stored;
    }

    /**
     * Removes a key from both tiers and from the other instances' L1.
     * @param key the key
     */
    public void evict(Object key) {
        this.stats.evictions.increment();
        Object localKey = this.keyCodec.toLocal(key);
        this.invalidatedAt.put(localKey, System.nanoTime());
        this.l1.invalidate(localKey);
        if (this.l2 != null) {
            String encoded = this.keyCodec.encode(key);
            if (!this.l2.isAvailable()) {
                remember(encoded);
                return;
            }
            try {
                this.l2.delete(this.name, encoded);
            }
            catch (RuntimeException ex) {
                onL2Error("evict", ex);
                remember(encoded);
            }
        }
    }

    private void remember(String encodedKey) {
        if (this.pendingEvictions.size() < 10_000) {
            this.pendingEvictions.add(encodedKey);
        }
        else {
            this.pendingClear = true;
        }
    }

    /**
     * Sends the evictions (and deletes the writes) that could not reach Redis while it was unavailable, so L2 and
     * the other instances drop values this instance changed meanwhile. Called when Redis is back.
     * @return how many keys were replayed
     */
    public int replayPendingEvictions() {
        if (this.l2 == null || !this.l2.isAvailable()) {
            return 0;
        }
        if (this.pendingClear) {
            try {
                this.l2.clear(this.name);
                this.pendingClear = false;
                int count = this.pendingEvictions.size();
                this.pendingEvictions.clear();
                return count;
            }
            catch (RuntimeException ex) {
                onL2Error("clear", ex);
                return 0;
            }
        }
        int replayed = 0;
        for (String encoded : this.pendingEvictions) {
            try {
                this.l2.delete(this.name, encoded);
                this.pendingEvictions.remove(encoded);
                replayed++;
            }
            catch (RuntimeException ex) {
                onL2Error("evict", ex);
                return replayed;
            }
        }
        return replayed;
    }

    /** Removes every entry from both tiers and from the other instances' L1. */
    public void clear() {
        this.stats.evictions.increment();
        this.clearedAtNanos = System.nanoTime();
        this.l1.invalidateAll();
        if (this.l2 != null) {
            if (!this.l2.isAvailable()) {
                this.pendingClear = true;
                return;
            }
            try {
                this.l2.clear(this.name);
            }
            catch (RuntimeException ex) {
                onL2Error("clear", ex);
                this.pendingClear = true;
            }
        }
    }

    /**
     * Drops the in-process copy of a key another instance changed.
     * @param encodedKey the key as encoded by {@link KeyCodec#encode(Object)}
     */
    public void dropLocal(String encodedKey) {
        Object localKey;
        try {
            localKey = this.keyCodec.localFromEncoded(encodedKey);
        }
        catch (RuntimeException ex) {
            // A key this version cannot decode: dropping everything is the only safe answer.
            logger.debug("Cannot decode key '" + encodedKey + "' of cache '" + this.name + "'; clearing L1", ex);
            clearLocal();
            return;
        }
        this.invalidatedAt.put(localKey, System.nanoTime());
        this.l1.invalidate(localKey);
    }

    /**
     * Drops the in-process copy of a key another instance warmed. Unlike {@link #dropLocal(String)}, loads under
     * way are not told the key changed: a warmed value is no newer than what they load from the same source, and a
     * fleet warming at once would otherwise flood the record of recent changes.
     * @param encodedKey the key as encoded by {@link KeyCodec#encode(Object)}
     */
    public void dropLocalWarmed(String encodedKey) {
        try {
            this.l1.invalidate(this.keyCodec.localFromEncoded(encodedKey));
        }
        catch (RuntimeException ex) {
            logger.debug("Cannot decode key '" + encodedKey + "' of cache '" + this.name + "'; clearing L1", ex);
            clearLocal();
        }
    }

    /** Drops every in-process entry, leaving L2 as it is. */
    public void clearLocal() {
        this.clearedAtNanos = System.nanoTime();
        this.l1.invalidateAll();
    }

    private CacheEntry readL2(Object key) {
        if (this.l2 == null || !this.l2.isAvailable()) {
            return null;
        }
        byte[] bytes;
        try {
            bytes = this.l2.get(this.name, this.keyCodec.encode(key));
        }
        catch (RuntimeException ex) {
            onL2Error("read", ex);
            return null;
        }
        if (bytes == null) {
            return null;
        }
        try {
            return this.entryCodec.decode(bytes);
        }
        catch (RuntimeException ex) {
            // Written by an incompatible version, or not by us: a miss, and the next write replaces it.
            this.stats.l2DecodeErrors.increment();
            logger.debug("Cannot decode the " + this.l2.backend() + " value of key '" + key + "' in cache '"
                    + this.name + "' as " + this.entryCodec.valueType() + "; treating it as a miss", ex);
            return null;
        }
    }

    private void storeL1(Object localKey, CacheEntry entry, long now) {
        this.l1.store(localKey, entry, now);
    }

    /**
     * Stores an entry in L1 unless the key was evicted or overwritten in this JVM since {@code startedNanos}: the
     * check and the store are one atomic step, so a concurrent {@link #put} or {@link #evict} always wins.
     */
    private boolean storeL1Unless(Object localKey, CacheEntry entry, long now, long startedNanos) {
        return this.l1.storeUnless(localKey, entry, now, (started) -> invalidatedSince(localKey, started),
                startedNanos);
    }

    private boolean isRetained(CacheEntry entry, long now) {
        return now < entry.expiresAt() + this.settings.staleTtl().toMillis();
    }

    private void onL2Error(String operation, RuntimeException ex) {
        this.stats.l2Errors.increment();
        if (logger.isDebugEnabled()) {
            logger.debug("Shared tier (" + this.l2.backend() + ") " + operation + " for cache '" + this.name
                    + "' failed; serving without it", ex);
        }
    }
}
