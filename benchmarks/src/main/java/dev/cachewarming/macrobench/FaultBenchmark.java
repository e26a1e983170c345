package dev.cachewarming.macrobench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;

import dev.cachewarming.annotation.StampedeProtected;
import dev.cachewarming.cache.TieredCache;
import dev.cachewarming.cache.TieredCacheRegistry;
import dev.cachewarming.test.redis.RedisProcessCluster;
import dev.cachewarming.test.redis.RedisServer;

/**
 * Macro benchmark 7: two instances serve Zipf(0.99) reads of 100k products from PostgreSQL at a fixed rate while
 * Redis fails under them: paused (SIGSTOP) for 10 s, then killed (SIGKILL) and restarted empty 10 s later; and, on
 * a 3-master / 3-replica Redis Cluster, one master killed. Reports every 5-s window (requests, failed, p50, p99,
 * max) and how long a write on one instance takes to reach the other after Redis is back.
 *
 * <p>A prober updates one product every 10 ms, in the "database" and then in instance A's cache ({@code put}, as
 * a write path does), and reads it on instance B: the version B returns tells how stale B's copy is.
 */
public final class FaultBenchmark {

    static final int WINDOW_SECONDS = 5;

    static final int READERS = 32;

    static final long PROBE_KEY = BenchDatabase.PRODUCTS + 1;

    static final long PROBE_PERIOD_NANOS = 10_000_000L;

    /** The probe product's version in the "database": what a load returns. */
    static final AtomicLong probeVersion = new AtomicLong();

    /** The instance: one stampede-protected product lookup. */
    @SpringBootConfiguration
    @EnableAutoConfiguration
    public static class FaultApplication {

        @Bean
        Catalog catalog(JdbcTemplate jdbc) {
            return new Catalog(jdbc);
        }
    }

    /** Reads products from PostgreSQL. */
    public static class Catalog {

        private final JdbcTemplate jdbc;

        Catalog(JdbcTemplate jdbc) {
            this.jdbc = jdbc;
        }

        @StampedeProtected(cacheName = "products")
        public Product find(Long id) {
            if (id == PROBE_KEY) {
                return probe(probeVersion.get());
            }
            return this.jdbc.query(WarmingBenchmark.BY_ID, WarmingBenchmark.ROWS, id).stream().findFirst()
                .orElse(null);
        }
    }

    /** A fault injected at a second of the measurement. */
    record Fault(int atSecond, String label, Runnable action) {
    }

    /** What one run does. */
    record Scenario(String name, String title, int readsPerSecond, int seconds, String[] properties,
            List<Fault> faults) {
    }

    /** One read: when it began (ns after the start), how long it took, whether it failed. */
    private record Sample(long at, long nanos, boolean failed) {
    }

    /**
     * One read of the probe key on B: when, for how long the version it returned had been replaced, and when that
     * version was written.
     */
    private record ProbeRead(long at, long staleNanos, long seenWrittenAt) {
    }

    /**
     * Redis paused 10 s, then killed and restarted empty 10 s later; writes {@code faults.md} and
     * {@code faults-p99.png}.
     */
    public static void run(BenchRedis redis, BenchDatabase database) throws Exception {
        redis.flushAll();
        RedisServer server = redis.server();
        int rate = Integer.getInteger("bench.faults.rate", 400);
        measure(new Scenario("faults", "Redis faults: 2 instances, Zipf(0.99) over 100k products, "
                + String.format("%,d", rate) + " reads/s; Redis paused 10 s, then killed and restarted empty", rate,
                60, Instances.concat(redis.springProperties(), database.springProperties()),
                List.of(new Fault(15, "paused (SIGSTOP)", server::pause),
                        new Fault(25, "resumed (SIGCONT)", server::resume),
                        new Fault(35, "killed (SIGKILL)", server::kill),
                        new Fault(45, "restarted, empty", server::start))));
    }

    /**
     * A 3-master / 3-replica Redis Cluster (node timeout 2 s), one master killed; writes {@code faults-cluster.md}
     * and {@code faults-cluster-p99.png}.
     */
    public static void runCluster(BenchDatabase database) throws Exception {
        int rate = Integer.getInteger("bench.faults.cluster-rate", 300);
        try (RedisProcessCluster cluster = RedisProcessCluster.start(3, 1, java.time.Duration.ofSeconds(2))) {
            RedisServer victim = cluster.masters().get(0);
            measure(new Scenario("faults-cluster", "Redis Cluster failover: 2 instances, Zipf(0.99) over 100k "
                    + "products, " + String.format("%,d", rate) + " reads/s; 3 masters / 3 replicas, node timeout 2 s, "
                    + "one master killed", rate, 40,
                    Instances.concat(new String[] { "spring.data.redis.cluster.nodes="
                            + String.join(",", cluster.nodeAddresses()) }, database.springProperties()),
                    List.of(new Fault(10, "master killed (SIGKILL)", victim::kill))));
        }
    }

    private static void measure(Scenario scenario) throws Exception {
        String[] properties = Instances.concat(scenario.properties(),
                new String[] { "cache-warming.warmup.enabled=false", "cache-warming.defaults.l1-max-size=100000",
                        "spring.application.name=" + scenario.name() });
        String loadBefore = loadAverage();
        try (ConfigurableApplicationContext a = Instances.start(FaultApplication.class, properties);
                ConfigurableApplicationContext b = Instances.start(FaultApplication.class, properties)) {
            List<Catalog> catalogs = List.of(a.getBean(Catalog.class), b.getBean(Catalog.class));
            Long[] keys = new Long[BenchDatabase.PRODUCTS + 1];
            for (int i = 0; i <= BenchDatabase.PRODUCTS; i++) {
                keys[i] = (long) i;
            }
            // JIT warm-up and a realistic L1 before the measured part: the same traffic for 15 s.
            long warmup = System.nanoTime();
            new PacedZipfReaders(READERS, scenario.readsPerSecond(), BenchDatabase.PRODUCTS, warmup,
                    warmup + 15_000_000_000L, (rank, sequence) -> read(catalogs, keys, rank, sequence)).join();

            ConcurrentLinkedQueue<Sample> samples = new ConcurrentLinkedQueue<>();
            long start = System.nanoTime();
            long end = start + scenario.seconds() * 1_000_000_000L;
            SlowCallStacks slowCalls = SlowCallStacks.fromSystemProperty(start, end);
            PacedZipfReaders readers = new PacedZipfReaders(READERS, scenario.readsPerSecond(),
                    BenchDatabase.PRODUCTS, start, end, (rank, sequence) -> {
                        long began = System.nanoTime();
                        slowCalls.enter(began);
                        boolean failed;
                        try {
                            failed = !keys[rank].equals(read(catalogs, keys, rank, sequence).id());
                        }
                        catch (RuntimeException ex) {
                            failed = true;
                        }
                        finally {
                            slowCalls.exit();
                        }
                        samples.add(new Sample(began - start, System.nanoTime() - began, failed));
                    });
            ConcurrentLinkedQueue<ProbeRead> probes = new ConcurrentLinkedQueue<>();
            Thread prober = new Thread(() -> probe(a, b.getBean(Catalog.class), start, end, probes), "prober");
            prober.start();
            long[] faultAt = new long[scenario.faults().size()];
            for (int i = 0; i < faultAt.length; i++) {
                Fault fault = scenario.faults().get(i);
                parkUntil(start + fault.atSecond() * 1_000_000_000L);
                fault.action().run();
                faultAt[i] = System.nanoTime() - start;
                System.out.printf("%.1f s: Redis %s%n", faultAt[i] / 1e9, fault.label());
            }
            readers.join();
            prober.join();
            report(scenario, new ArrayList<>(samples), new ArrayList<>(probes), faultAt, loadBefore);
        }
    }

    private static Product read(List<Catalog> catalogs, Long[] keys, int rank, long sequence) {
        return catalogs.get((int) (sequence % catalogs.size())).find(keys[rank]);
    }

    private static Product probe(long version) {
        return new Product(PROBE_KEY, "probe", "v" + version, "", 0, (int) version);
    }

    /**
     * Writes version 1, 2, 3... of the probe product, to the "database" and then with a {@code put} on A, and
     * reads it on B right after, every 10 ms. A read that returns version v while v + 1 was written at time t is
     * stale since t.
     */
    private static void probe(ConfigurableApplicationContext a, Catalog b, long start, long end,
            ConcurrentLinkedQueue<ProbeRead> probes) {
        TieredCache cacheOfA = a.getBean(TieredCacheRegistry.class).find("products");
        List<Long> writtenAt = new ArrayList<>();
        for (long v = 0; v <= probeVersion.get(); v++) {
            writtenAt.add(0L);
        }
        long next = start;
        while (System.nanoTime() < end) {
            parkUntil(next);
            next += PROBE_PERIOD_NANOS;
            long v = probeVersion.incrementAndGet();
            writtenAt.add(System.nanoTime() - start);
            try {
                cacheOfA.put(PROBE_KEY, probe(v));
            }
            catch (RuntimeException ex) {
                // A write that fails is a failed request of its own; the reads below still measure B.
            }
            long readAt = System.nanoTime() - start;
            long seen;
            try {
                seen = b.find(PROBE_KEY).stock();
            }
            catch (RuntimeException ex) {
                // A failed read: counted as the oldest version.
                seen = 0;
            }
            // Stale since the version after the one seen was written (0 if B saw the latest).
            long stale = (seen >= v) ? 0 : readAt - writtenAt.get((int) seen + 1);
            probes.add(new ProbeRead(readAt, Math.max(0, stale), writtenAt.get((int) seen)));
        }
    }

    private static void report(Scenario scenario, List<Sample> samples, List<ProbeRead> probes, long[] faultAt,
            String loadBefore) throws Exception {
        Report report = new Report(scenario.name(), scenario.title());
        report.header("window", "Redis", "requests", "failed", "p50, ms", "p99, ms", "max, ms",
                "B's copy of a key written on A: stale up to, ms");
        int windows = scenario.seconds() / WINDOW_SECONDS;
        for (int w = 0; w < windows; w++) {
            long from = w * WINDOW_SECONDS * 1_000_000_000L;
            long to = from + WINDOW_SECONDS * 1_000_000_000L;
            long[] nanos = samples.stream().filter((s) -> s.at() >= from && s.at() < to).mapToLong(Sample::nanos)
                .sorted()
                .toArray();
            long failed = samples.stream().filter((s) -> s.at() >= from && s.at() < to && s.failed()).count();
            long stale = probes.stream().filter((p) -> p.at() >= from && p.at() < to)
                .mapToLong(ProbeRead::staleNanos)
                .max()
                .orElse(0);
            report.row((w * WINDOW_SECONDS) + "-" + ((w + 1) * WINDOW_SECONDS) + " s",
                    state(scenario, (from + to) / 2), nanos.length, failed, millis(percentile(nanos, 0.50)),
                    millis(percentile(nanos, 0.99)), millis(nanos.length > 0 ? nanos[nanos.length - 1] : 0),
                    millis(stale));
        }
        long failed = samples.stream().filter(Sample::failed).count();
        long slowerThanOneSecond = samples.stream().filter((s) -> s.nanos() > 1_000_000_000L).count();
        StringBuilder recovery = new StringBuilder();
        for (int i = 0; i < faultAt.length; i++) {
            long seenAfter = firstSeenAfter(probes, faultAt[i]);
            recovery.append(String.format(Locale.ROOT, "Redis %s at %.1f s: B first returned a version A wrote after "
                    + "that %s. ", scenario.faults().get(i).label(), faultAt[i] / 1e9, (seenAfter < 0) ? "never"
                            : String.format(Locale.ROOT, "%.0f ms later", seenAfter / 1e6)));
        }
        report.note("Totals: " + String.format("%,d", samples.size()) + " requests, " + failed + " failed, "
                + slowerThanOneSecond + " slower than 1 s.");
        report.note(recovery.toString().trim());
        report.note("Each request is one call of a `@StampedeProtected` method on instance A or B (alternately), "
                + "timed from the call to its return; " + READERS + " reader threads keep the rate (a blocked "
                + "reader does not burst to catch up). Both instances are Spring Boot contexts in one JVM with the "
                + "starter's defaults, after 15 s of the same traffic (not measured). \"Stale up to\": a prober "
                + "`put`s a new version of one key on A every 10 ms and reads it on B right after; the column is the "
                + "longest time B returned a version that A had already replaced. Load average before the run: "
                + loadBefore + ", after: " + loadAverage() + ".");
        report.write();
        chart(scenario, samples, faultAt);
    }

    /** How long after a fault B first returned a version A wrote after it (-1: never). */
    private static long firstSeenAfter(List<ProbeRead> probes, long after) {
        return probes.stream()
            .filter((probe) -> probe.at() >= after && probe.seenWrittenAt() >= after)
            .mapToLong((probe) -> probe.at() - after)
            .min()
            .orElse(-1);
    }

    private static String state(Scenario scenario, long at) {
        String state = "up";
        for (Fault fault : scenario.faults()) {
            if (at >= fault.atSecond() * 1_000_000_000L) {
                state = fault.label();
            }
        }
        return state;
    }

    private static void chart(Scenario scenario, List<Sample> samples, long[] faultAt) {
        int seconds = scenario.seconds();
        double[] x = new double[seconds];
        double[] p99 = new double[seconds];
        double[] max = new double[seconds];
        double top = 1;
        for (int s = 0; s < seconds; s++) {
            long from = s * 1_000_000_000L;
            long to = from + 1_000_000_000L;
            long[] nanos = samples.stream().filter((e) -> e.at() >= from && e.at() < to).mapToLong(Sample::nanos)
                .sorted()
                .toArray();
            x[s] = s + 0.5;
            p99[s] = Math.max(0.1, millis(percentile(nanos, 0.99)));
            max[s] = Math.max(0.1, millis(nanos.length > 0 ? nanos[nanos.length - 1] : 0));
            top = Math.max(top, max[s]);
        }
        List<Charts.Line> lines = new ArrayList<>();
        lines.add(new Charts.Line("p99 per second", x, p99, false));
        lines.add(new Charts.Line("max per second", x, max, false));
        for (int i = 0; i < faultAt.length; i++) {
            double at = faultAt[i] / 1e9;
            lines.add(new Charts.Line("Redis " + scenario.faults().get(i).label(), new double[] { at, at },
                    new double[] { 0.1, top * 2 }, true));
        }
        Charts.lines(scenario.name() + "-p99", "Call latency per second while Redis fails (" + scenario.readsPerSecond()
                + " reads/s, 2 instances)", "seconds", "ms (log)", lines, true,
                org.knowm.xchart.style.Styler.LegendPosition.OutsideS);
    }

    private static long percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)];
    }

    private static double millis(long nanos) {
        return nanos / 1e6;
    }

    private static void parkUntil(long deadline) {
        long now;
        while ((now = System.nanoTime()) < deadline) {
            LockSupport.parkNanos(deadline - now);
        }
    }

    private static String loadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return String.join(" / ", Arrays.copyOf(fields, 3)) + " (1 / 5 / 15 min)";
        }
        catch (Exception ex) {
            return "unknown";
        }
    }

    private FaultBenchmark() {
    }
}
