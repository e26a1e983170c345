package dev.cachewarming.actuate;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.endpoint.Show;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;

import dev.cachewarming.cache.ArgumentsKey;
import dev.cachewarming.cache.CacheStatistics;
import dev.cachewarming.cache.SharedTierDescription;
import dev.cachewarming.cache.TieredCache;
import dev.cachewarming.cache.TieredCacheRegistry;
import dev.cachewarming.warming.CacheWarming;
import dev.cachewarming.warming.CacheWarmupProgress;
import dev.cachewarming.warming.DefaultCacheWarming;
import dev.cachewarming.warming.SpaceSavingSummary;

/**
 * {@code /actuator/warming}: the warm-up's state and every cache's progress, refresh and stampede counters and
 * hottest keys; {@code /actuator/warming/{cache}} for one cache; {@code POST /actuator/warming/{cache}} re-warms it.
 *
 * <p>Keys are masked ({@code ******}) unless {@code management.endpoint.warming.show-keys} allows them, like
 * Boot's {@code show-values}.
 */
@Endpoint(id = "warming")
public class WarmingEndpoint {

    private static final int HOT_KEYS = 10;

    private final DefaultCacheWarming warming;

    private final TieredCacheRegistry caches;

    private final Show showKeys;

    private final Set<String> roles;

    private final SharedTierDescription sharedTier;

    /**
     * @param warming the warming
     * @param caches the caches
     * @param showKeys when keys are shown
     * @param roles roles that may see keys with {@link Show#WHEN_AUTHORIZED}
     */
    public WarmingEndpoint(DefaultCacheWarming warming, TieredCacheRegistry caches, Show showKeys, Set<String> roles) {
        this(warming, caches, showKeys, roles, null);
    }

    /**
     * @param warming the warming
     * @param caches the caches
     * @param showKeys when keys are shown
     * @param roles roles that may see keys with {@link Show#WHEN_AUTHORIZED}
     * @param sharedTier what the shared tier is and guarantees, reported as {@code l2}; {@code null} to leave it out
     */
    public WarmingEndpoint(DefaultCacheWarming warming, TieredCacheRegistry caches, Show showKeys, Set<String> roles,
            SharedTierDescription sharedTier) {
        this.warming = warming;
        this.caches = caches;
        this.showKeys = showKeys;
        this.roles = roles;
        this.sharedTier = sharedTier;
    }

    /**
     * @param securityContext the caller, for key masking
     * @return the whole report
     */
    @ReadOperation
    public WarmingReport warming(SecurityContext securityContext) {
        boolean showKeys = this.showKeys.isShown(securityContext, this.roles);
        Map<String, CacheReport> reports = new LinkedHashMap<>();
        for (TieredCache cache : sorted(this.caches.caches())) {
            reports.put(cache.name(), report(cache, showKeys));
        }
        return new WarmingReport(this.warming.state().name(), this.warming.engine().settings().budget().toString(),
                this.warming.engine().elapsed().toString(), reports, this.sharedTier);
    }

    /**
     * @param cache a cache name
     * @param securityContext the caller, for key masking
     * @return the cache's report, or {@code null} (404) if there is no such cache
     */
    @ReadOperation
    public CacheReport cache(@Selector String cache, SecurityContext securityContext) {
        TieredCache found = this.caches.find(cache);
        return (found != null) ? report(found, this.showKeys.isShown(securityContext, this.roles)) : null;
    }

    /**
     * @param cache a warmable cache
     * @return that the re-warm started, or {@code null} (404) if no {@code @Warmable} method fills the cache
     */
    @WriteOperation
    public RewarmResponse rewarm(@Selector String cache) {
        if (!this.warming.warmableCaches().contains(cache)) {
            return null;
        }
        this.warming.rewarm(cache);
        return new RewarmResponse(cache, "STARTED");
    }

    private CacheReport report(TieredCache cache, boolean showKeys) {
        CacheWarmupProgress progress = this.warming.progress().get(cache.name());
        CacheStatistics stats = cache.stats();
        Warmup warmup = null;
        if (progress != null) {
            warmup = new Warmup(progress.tier().name(), progress.loadMode().label(),
                    new Concurrency(progress.concurrencyLimit(), progress.maxConcurrentLoads()), progress.sources(),
                    progress.planned(), progress.fromL2(), progress.loaded(), progress.failed(), progress.skipped(),
                    Math.round(progress.keysPerSecond() * 10) / 10.0,
                    (progress.eta() != null) ? progress.eta().toString() : null,
                    Math.round(progress.progress() * 1000) / 1000.0, progress.elapsed().toString(),
                    progress.sourceError());
        }
        Refresh refresh = new Refresh(stats.refreshesScheduled(), stats.refreshesSucceeded(), stats.refreshesFailed(),
                stats.refreshesSkipped());
        Stampede stampede = new Stampede(cache.coalescedLoads(), stats.leasesAcquired(), stats.leasesLost(),
                stats.leasesExpired(), stats.staleServed(), stats.waitTimeouts());
        List<HotKey> hotKeys = new ArrayList<>();
        for (SpaceSavingSummary.Counted<Object> counted : this.warming.hotKeys(cache.name(), HOT_KEYS)) {
            hotKeys.add(new HotKey(showKeys ? describe(counted.key()) : "******", Math.round(counted.count())));
        }
        return new CacheReport(cache.isShared(), cache.localSize(), warmup, refresh, stampede, hotKeys);
    }

    private static String describe(Object key) {
        if (key instanceof ArgumentsKey arguments) {
            Object[] values = arguments.arguments();
            return (values.length == 1) ? String.valueOf(values[0]) : arguments.toString();
        }
        return String.valueOf(key);
    }

    private static List<TieredCache> sorted(Collection<TieredCache> caches) {
        return caches.stream().sorted(java.util.Comparator.comparing(TieredCache::name)).toList();
    }

    /**
     * The whole report.
     *
     * @param state PENDING, RUNNING, COMPLETED, BUDGET_EXHAUSTED or FAILED
     * @param budget the warm-up budget (ISO-8601)
     * @param elapsed time spent by the last (or current) warm-up (ISO-8601)
     * @param caches every cache, by name
     * @param l2 the shared tier: {@code backend} ({@code redis}, {@code memcached} or {@code none}),
     * {@code invalidations} (how other instances hear of writes: {@code redis-pubsub} or {@code none}),
     * {@code staleness} (how stale their in-process copies can get), {@code hotKeys} (where they are remembered),
     * {@code shadowTraffic}
     */
    public record WarmingReport(String state, String budget, String elapsed, Map<String, CacheReport> caches,
            SharedTierDescription l2) {
    }

    /**
     * One cache.
     *
     * @param shared whether it uses Redis
     * @param size entries in its in-process tier
     * @param warmup its warm-up, or {@code null} if no {@code @Warmable} method fills it
     * @param refresh refresh-ahead counts
     * @param stampede stampede-protection counts
     * @param hotKeys its hottest keys since startup, with estimated calls (warmable caches only)
     */
    public record CacheReport(boolean shared, long size, Warmup warmup, Refresh refresh, Stampede stampede,
            List<HotKey> hotKeys) {
    }

    /**
     * A cache's warm-up.
     *
     * @param tier REQUIRED, HIGH or LOW
     * @param loadMode how keys Redis did not hold were loaded: {@code batch-method}, {@code find-all-by-id}
     * (a repository's {@code findById}, batched automatically) or {@code key-by-key}
     * @param concurrency the loads at once of the last (or current) run
     * @param sources candidates by source: {@code remembered}, {@code declared}, {@code access-log},
     * {@code shadow} (only the sources the cache uses)
     * @param planned keys planned
     * @param fromL2 keys copied from Redis
     * @param loaded keys loaded
     * @param failed keys whose load failed
     * @param skipped keys not warmed (budget)
     * @param keysPerSecond keys handled per second
     * @param eta estimated time left (ISO-8601), {@code PT0S} once done, {@code null} if unknown
     * @param progress fraction handled, 0 to 1
     * @param elapsed time spent (ISO-8601)
     * @param sourceError why a source could not be read, or {@code null}
     */
    public record Warmup(String tier, String loadMode, Concurrency concurrency, Map<String, Integer> sources, int planned, long fromL2, long loaded, long failed,
            long skipped, double keysPerSecond, String eta, double progress, String elapsed, String sourceError) {
    }

    /**
     * The loads at once of a warm-up.
     *
     * @param limit the bound now (adaptive: it moves between 1 and {@code cache-warming.warmup.concurrency})
     * @param maxInFlight the most loads that ran at once
     */
    public record Concurrency(int limit, int maxInFlight) {
    }

    /**
     * Refresh-ahead counts.
     *
     * @param scheduled handed to the executor
     * @param succeeded stored a new value
     * @param failed threw
     * @param skipped not run (queue full, or another instance held the lease)
     */
    public record Refresh(long scheduled, long succeeded, long failed, long skipped) {
    }

    /**
     * Stampede-protection counts.
     *
     * @param coalesced callers that waited for a load in the JVM
     * @param leasesAcquired leases taken
     * @param leasesLost leases found held elsewhere
     * @param leasesExpired leases taken over after their holder let them expire
     * @param staleServed stale values served while reloading
     * @param waitTimeouts waits that timed out
     */
    public record Stampede(long coalesced, long leasesAcquired, long leasesLost, long leasesExpired,
            long staleServed, long waitTimeouts) {
    }

    /**
     * A hot key.
     *
     * @param key the key (the call's argument, or arguments), or {@code ******} when keys are not shown
     * @param count its estimated number of calls since startup
     */
    public record HotKey(String key, long count) {
    }

    /**
     * Answer to a re-warm request.
     *
     * @param cache the cache
     * @param state {@code STARTED}
     */
    public record RewarmResponse(String cache, String state) {
    }
}
