package dev.cachewarming.benchmarks;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import com.alicp.jetcache.anno.CacheConsts;
import com.alicp.jetcache.anno.CacheType;
import com.alicp.jetcache.anno.Cached;
import com.alicp.jetcache.anno.config.EnableMethodCache;
import com.alicp.jetcache.anno.support.GlobalCacheConfig;
import com.alicp.jetcache.anno.support.JetCacheBaseBeans;
import com.alicp.jetcache.embedded.CaffeineCacheBuilder;
import com.alicp.jetcache.support.Fastjson2KeyConvertor;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.cache.CacheManager;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.cache.caffeine.CaffeineCacheManager;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

import dev.cachewarming.annotation.RefreshAhead;
import dev.cachewarming.annotation.StampedeProtected;
import dev.cachewarming.annotation.Warmable;
import dev.cachewarming.autoconfigure.CacheWarmingAutoConfiguration;

/**
 * The hit path of one cached method, side by side: a direct Caffeine lookup (the floor), Spring's {@code @Cacheable}
 * on a {@code CaffeineCacheManager} (plain and {@code sync = true}), JetCache's {@code @Cached} on a local Caffeine
 * cache, and cache-warming's annotations (L1 hit). Every call hits: keys are loaded in setup and taken from a
 * pre-boxed array, so no benchmark code allocates.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 2, jvmArgs = { "-Xms1g", "-Xmx1g" })
public class HitPathBenchmark {

    private static final int KEYS = 1024;

    /**
     * The application the annotated beans live in; Redis and web are off. JetCache is set up by hand, the way its
     * docs describe for applications without Spring Boot: {@code @EnableMethodCache} registers its advisor,
     * {@link JetCacheBaseBeans} its config provider and its cache manager (named {@code jcCacheManager}, so it does
     * not clash with Spring's {@code cacheManager}). Its {@code jetcache-starter-redis} is left out because it brings
     * Jedis and Redis auto-configuration, which a local-only benchmark does not need.
     *
     * <p>The auto-configurations are listed, not discovered: this module's macro benchmarks put a JDBC driver and
     * Redis on the classpath, and discovered DataSource and Redis auto-configurations would then stop this
     * application from starting ("Failed to determine a suitable driver class"). Only what the hit path runs
     * through is here: Boot's AOP proxying, which every Boot application has, and cache-warming.
     */
    @SpringBootConfiguration
    @ImportAutoConfiguration({ AopAutoConfiguration.class, CacheWarmingAutoConfiguration.class })
    @EnableCaching
    @EnableMethodCache(basePackages = "dev.cachewarming.benchmarks")
    @Import(JetCacheBaseBeans.class)
    public static class BenchApplication {

        @Bean
        CacheManager cacheManager() {
            return new CaffeineCacheManager();
        }

        /**
         * JetCache's local caches: Caffeine, with the fastjson2 key convertor, which is what JetCache's Boot
         * auto-configuration sets when none is named (so every call writes its arguments as a JSON string). A local
         * cache needs a key convertor: without one the key of a method cache is the argument array itself, which has
         * identity equality, so no call would ever hit.
         */
        @Bean
        GlobalCacheConfig jetCacheGlobalConfig() {
            GlobalCacheConfig config = new GlobalCacheConfig();
            config.setLocalCacheBuilders(Map.of(CacheConsts.DEFAULT_AREA,
                    CaffeineCacheBuilder.createCaffeineCacheBuilder().keyConvertor(Fastjson2KeyConvertor.INSTANCE)));
            config.setRemoteCacheBuilders(Map.of());
            return config;
        }

        @Bean
        Products products() {
            return new Products();
        }
    }

    /** The same "query" behind every variant. */
    public static class Products {

        @Cacheable("cacheable")
        public String cacheable(Long id) {
            return load(id);
        }

        @Cacheable(cacheNames = "cacheableSync", sync = true)
        public String cacheableSync(Long id) {
            return load(id);
        }

        /** JetCache's local cache holds 100 entries unless told otherwise: room for every key, like the others. */
        @Cached(name = "jetCache.", cacheType = CacheType.LOCAL, localLimit = 10_000)
        public String jetCache(Long id) {
            return load(id);
        }

        @StampedeProtected(cacheName = "ours")
        @RefreshAhead(cacheName = "ours")
        public String ours(Long id) {
            return load(id);
        }

        @Warmable(cacheName = "oursWarmable")
        @StampedeProtected(cacheName = "oursWarmable")
        @RefreshAhead(cacheName = "oursWarmable")
        public String oursWarmable(Long id) {
            return load(id);
        }

        /** Counted so a test can check that every measured call is a hit; a hit never gets here. */
        static final LongAdder loads = new LongAdder();

        static String load(Long id) {
            loads.increment();
            return "product-" + id;
        }
    }

    private final Long[] keys = new Long[KEYS];

    private ConfigurableApplicationContext context;

    private Products products;

    private Cache<Long, String> caffeine;

    /** Each thread walks the keys with its own cursor, so threads share nothing but the caches. */
    @State(Scope.Thread)
    public static class Cursor {

        private int next;

        Long next(Long[] keys) {
            return keys[(this.next++) & (KEYS - 1)];
        }
    }

    @Setup(Level.Trial)
    public void start() {
        SpringApplication application = new SpringApplication(BenchApplication.class);
        application.setWebApplicationType(WebApplicationType.NONE);
        this.context = application.run("--cache-warming.redis.enabled=false", "--logging.level.root=WARN",
                "--spring.main.banner-mode=off", "--cache-warming.warmup.remember.directory=target/bench-hot-keys");
        this.products = this.context.getBean(Products.class);
        this.caffeine = Caffeine.newBuilder().maximumSize(10_000).build();
        for (int i = 0; i < KEYS; i++) {
            this.keys[i] = (long) i;
            this.caffeine.put(this.keys[i], Products.load(this.keys[i]));
            this.products.cacheable(this.keys[i]);
            this.products.cacheableSync(this.keys[i]);
            this.products.jetCache(this.keys[i]);
            this.products.ours(this.keys[i]);
            this.products.oursWarmable(this.keys[i]);
        }
    }

    @TearDown(Level.Trial)
    public void stop() {
        this.context.close();
    }


    @Benchmark
    public String caffeineFloor(Cursor cursor) {
        Long key = cursor.next(this.keys);
        String value = this.caffeine.getIfPresent(key);
        return (value != null) ? value : Products.load(key);
    }

    @Benchmark
    public String springCacheable(Cursor cursor) {
        return this.products.cacheable(cursor.next(this.keys));
    }

    @Benchmark
    public String springCacheableSync(Cursor cursor) {
        return this.products.cacheableSync(cursor.next(this.keys));
    }

    @Benchmark
    public String jetCacheCached(Cursor cursor) {
        return this.products.jetCache(cursor.next(this.keys));
    }

    @Benchmark
    public String stampedeProtectedRefreshAhead(Cursor cursor) {
        return this.products.ours(cursor.next(this.keys));
    }

    @Benchmark
    public String withWarmableToo(Cursor cursor) {
        return this.products.oursWarmable(cursor.next(this.keys));
    }
}
