package dev.cachewarming.macrobench;

import java.util.List;
import java.util.Set;

/**
 * Runs the macro benchmarks of docs/benchmarks.md: {@code java ... MacroBenchmarks [all|stampede|refresh|warming|
 * coldstart|memory|memcached|faults|faults-standalone|faults-cluster|dumps]...} ({@code faults} is both fault
 * benchmarks). Results and charts go to {@code -Dbench.out} (default {@code target/results}).
 */
public final class MacroBenchmarks {

    public static void main(String[] args) throws Exception {
        Set<String> selected = Set.copyOf(args.length == 0 ? List.of("all") : List.of(args));
        boolean all = selected.contains("all");
        if (all || selected.contains("memory")) {
            MemoryBenchmark.run();
        }
        if (all || selected.contains("dumps")) {
            try (BenchRedis redis = new BenchRedis()) {
                DumpBenchmark.run(redis);
            }
            if (selected.equals(Set.of("dumps"))) {
                System.exit(0); // needs no database
            }
        }
        BenchDatabase database = new BenchDatabase();
        database.seed();
        try (BenchRedis redis = new BenchRedis()) {
            if (all || selected.contains("stampede")) {
                StampedeBenchmark.run(redis);
            }
            if (all || selected.contains("warming")) {
                WarmingBenchmark.run(redis, database);
            }
            if (all || selected.contains("refresh")) {
                RefreshAheadBenchmark.run(redis);
            }
            if (all || selected.contains("coldstart")) {
                ColdStartBenchmark.run(redis, database);
            }
            if (all || selected.contains("memcached")) {
                SharedTierBenchmark.run(redis, database);
            }
            if (all || selected.contains("faults") || selected.contains("faults-standalone")) {
                FaultBenchmark.run(redis, database);
            }
            if (all || selected.contains("faults") || selected.contains("faults-cluster")) {
                FaultBenchmark.runCluster(database);
            }
        }
        System.exit(0);
    }

    private MacroBenchmarks() {
    }
}
