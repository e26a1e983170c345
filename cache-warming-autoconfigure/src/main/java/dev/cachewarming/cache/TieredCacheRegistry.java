package dev.cachewarming.cache;

import java.lang.reflect.Type;
import java.time.Clock;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Function;

import org.apache.commons.logging.Log;
import tools.jackson.databind.JavaType;
import org.apache.commons.logging.LogFactory;

import dev.cachewarming.observation.CacheObservations;

/**
 * Creates and holds the {@link TieredCache named caches} of an application, and routes other instances'
 * invalidations to them.
 *
 * <p>A cache is created the first time it is asked for, with the settings the resolver gives for its name. A cache
 * asked for with a value type stores JSON of that type in L2; one asked for by name only (Spring's
 * {@code CacheManager} path) uses the value type configured for it, or stays in-process.
 *
 * <p>Thread-safe.
 */
public final class TieredCacheRegistry implements InvalidationListener {

    private static final Log logger = LogFactory.getLog(TieredCacheRegistry.class);

    private final Function<String, CacheSettings> settings;

    private final Function<String, Type> configuredValueTypes;

    private final ValueJson json;

    private final SecondLevel l2;

    private final Clock clock;

    private final CacheObservations observations;

    private final Map<String, Registered> caches = new ConcurrentHashMap<>();

    private final List<Consumer<TieredCache>> creationListeners = new CopyOnWriteArrayList<>();

    /**
     * @param settings the settings of each cache name
     * @param configuredValueTypes the value type configured for a cache name, or {@code null}
     * @param json the JSON support for keys and values
     * @param l2 the shared tier, or {@code null} for in-process caches only
     * @param clock the wall clock entries are timed with
     */
    public TieredCacheRegistry(Function<String, CacheSettings> settings, Function<String, Type> configuredValueTypes,
            ValueJson json, SecondLevel l2, Clock clock) {
        this(settings, configuredValueTypes, json, l2, clock, CacheObservations.NOOP);
    }

    /**
     * @param settings the settings of each cache name
     * @param configuredValueTypes the value type configured for a cache name, or {@code null}
     * @param json the JSON support for keys and values
     * @param l2 the shared tier, or {@code null} for in-process caches only
     * @param clock the wall clock entries are timed with
     * @param observations where the caches' loads are observed
     */
    public TieredCacheRegistry(Function<String, CacheSettings> settings, Function<String, Type> configuredValueTypes,
            ValueJson json, SecondLevel l2, Clock clock, CacheObservations observations) {
        this.observations = observations;
        this.settings = settings;
        this.configuredValueTypes = configuredValueTypes;
        this.json = json;
        this.l2 = l2;
        this.clock = clock;
    }

    /**
     * Returns the cache of that name, creating it for values of {@code valueType} keyed by {@code keyType}.
     * @param name the cache name
     * @param valueType the declared value type (generic types are kept)
     * @param keyType the declared key type
     * @return the cache
     * @throws IllegalStateException if the cache already exists with another value type
     */
    public TieredCache cache(String name, Type valueType, Type keyType) {
        Objects.requireNonNull(valueType, "valueType");
        Registered registered = register(name, () -> new Registered(create(name, valueType,
                KeyCodec.typed(this.json, keyType)), this.json.type(valueType)));
        return checked(name, registered, this.json.type(valueType));
    }

    private static TieredCache checked(String name, Registered registered, JavaType valueType) {
        if (registered.valueType != null && !registered.valueType.equals(valueType)) {
            throw new IllegalStateException("Cache '" + name + "' holds values of type "
                    + registered.valueType.toCanonical() + " and cannot also hold " + valueType.toCanonical()
                    + ": give one of the methods its own cache name");
        }
        return registered.cache;
    }

    /**
     * Returns the cache of that name, creating it for values of {@code valueType} with keys encoded by
     * {@code keyCodec} (an existing cache keeps its own key codec).
     * @param name the cache name
     * @param valueType the declared value type
     * @param keyCodec how keys are encoded
     * @return the cache
     * @throws IllegalStateException if the cache already exists with another value type
     */
    public TieredCache cache(String name, JavaType valueType, KeyCodec keyCodec) {
        Registered registered = register(name, () -> new Registered(new TieredCache(name, this.settings.apply(name),
                keyCodec, new EntryCodec(this.json, valueType), this.l2, this.clock, this.observations), valueType));
        return checked(name, registered, valueType);
    }

    /** @return where the caches' loads are observed (and what else on their load path should use) */
    public CacheObservations observations() {
        return this.observations;
    }

    /**
     * @return the JSON support the caches use
     */
    public ValueJson json() {
        return this.json;
    }

    /**
     * Returns the cache of that name, creating it for keys of any type. Its values go to L2 only if a value type
     * is configured for it.
     * @param name the cache name
     * @return the cache
     */
    public TieredCache cache(String name) {
        return register(name, () -> {
            Type valueType = this.configuredValueTypes.apply(name);
            if (valueType == null && this.l2 != null && this.settings.apply(name).l2Enabled()) {
                logger.info("Cache '" + name + "' has no declared value type, so it stays in-process (L1 only); "
                        + "set cache-warming.caches." + name + ".value-type to share it through Redis");
            }
            return new Registered(create(name, valueType, KeyCodec.stringified(this.json)),
                    (valueType != null) ? this.json.type(valueType) : null);
        }).cache;
    }

    /**
     * Calls {@code listener} with every cache created so far and with each one created from now on.
     * @param listener called once per cache, on the thread that created it
     */
    public void onCacheCreated(Consumer<TieredCache> listener) {
        this.creationListeners.add(listener);
        this.caches.values().forEach((registered) -> listener.accept(registered.cache));
    }

    /**
     * @param name a cache name
     * @return the cache, or {@code null} if none of that name was created
     */
    public TieredCache find(String name) {
        Registered registered = this.caches.get(name);
        return (registered != null) ? registered.cache : null;
    }

    /**
     * @param name a cache name
     * @return the value type the cache was created for, or {@code null} if there is no such cache or it was created
     * by name only without a configured value type
     */
    public JavaType valueType(String name) {
        Registered registered = this.caches.get(name);
        return (registered != null) ? registered.valueType : null;
    }

    /** @return the caches created so far */
    public Collection<TieredCache> caches() {
        return Collections.unmodifiableCollection(this.caches.values().stream().map((r) -> r.cache).toList());
    }

    /** @return whether a shared tier (L2) is configured */
    public boolean hasSecondLevel() {
        return this.l2 != null;
    }

    @Override
    public void keyChanged(String cache, String encodedKey) {
        TieredCache target = find(cache);
        if (target != null) {
            target.dropLocal(encodedKey);
        }
    }

    @Override
    public void keyWarmed(String cache, String encodedKey) {
        TieredCache target = find(cache);
        if (target != null) {
            target.dropLocalWarmed(encodedKey);
        }
    }

    @Override
    public void cacheCleared(String cache) {
        TieredCache target = find(cache);
        if (target != null) {
            target.clearLocal();
        }
    }

    @Override
    public void resyncRequired() {
        int cleared = 0;
        int replayed = replayPendingEvictions();
        for (Registered registered : this.caches.values()) {
            if (registered.cache.isShared()) {
                registered.cache.clearLocal();
                cleared++;
            }
        }
        if (cleared > 0) {
            logger.info("Shared tier connection restored: cleared the in-process tier of " + cleared
                    + " shared cache(s), since invalidations may have been missed");
        }
    }

    /**
     * Redis answers again and no invalidation was lost meanwhile (the subscription held): the in-process copies
     * stay, only the evictions and writes that could not reach Redis are sent now.
     */
    @Override
    public void recovered() {
        replayPendingEvictions();
    }

    private int replayPendingEvictions() {
        int replayed = 0;
        for (Registered registered : this.caches.values()) {
            if (registered.cache.isShared()) {
                replayed += registered.cache.replayPendingEvictions();
            }
        }
        if (replayed > 0) {
            logger.info("The shared tier is back: sent " + replayed + " eviction(s) made while it was unavailable");
        }
        return replayed;
    }

    private Registered register(String name, java.util.function.Supplier<Registered> factory) {
        Registered existing = this.caches.get(name);
        if (existing != null) {
            return existing;
        }
        boolean[] created = new boolean[1];
        Registered registered = this.caches.computeIfAbsent(name, (n) -> {
            created[0] = true;
            return factory.get();
        });
        if (created[0]) {
            this.creationListeners.forEach((listener) -> listener.accept(registered.cache));
        }
        return registered;
    }

    private TieredCache create(String name, Type valueType, KeyCodec keyCodec) {
        EntryCodec codec = (valueType != null) ? new EntryCodec(this.json, valueType) : null;
        return new TieredCache(name, this.settings.apply(name), keyCodec, codec, this.l2, this.clock,
                this.observations);
    }

    private record Registered(TieredCache cache, JavaType valueType) {
    }
}
