package dev.cachewarming.tools;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;

import dev.cachewarming.redis.write.RedisDumpStore;

/**
 * Command line entry point: dumps a cache from Redis into a directory, or populates a Redis from a dump (Netflix's
 * cache warmer, for a replacement node that should start warm without touching the database).
 *
 * <pre>
 * java -cp 'cache-warming-autoconfigure.jar:lib/*' dev.cachewarming.tools.CacheDump dump \
 *     --redis redis://localhost:6379 --cache products --dir /var/dumps/products-2026-01-01
 * java -cp ... dev.cachewarming.tools.CacheDump populate --redis redis://new-node:6379 --dir /var/dumps/... --rate 50000
 * </pre>
 *
 * <p>The composition root of the dump tool: the one class outside the Spring glue that names the Redis adapter.
 */
public final class CacheDump {

    static final String USAGE = """
            Usage:
              CacheDump dump     --redis <uri> --cache <name> --dir <new directory> [options]
              CacheDump populate --redis <uri> --dir <dump directory> [options]

            dump      writes every entry of the cache (SCAN of <prefix>:<cache>:*) with its remaining TTL into gzip
                      chunk files and a manifest.json (entry counts and SHA-256 per chunk)
            populate  checks each chunk's SHA-256, skips entries expired since the dump, writes the rest with
                      SET PX NX (a key Redis holds keeps its value), rate-limited; re-run after an interruption
                      to resume: completed chunks are recorded in populate-<target>.progress

            Options:
              --prefix <prefix>          key prefix of the caches (cache-warming.redis.key-prefix), default cache-warming
              --chunk-entries <n>        entries per chunk file (dump), default 10000
              --batch-size <n>           entries per Redis round trip, default 1000
              --rate <entries/second>    most entries written per second (populate), default 0 = no limit
              --timeout <duration>       most one round trip may take, default PT10S
            """;

    private CacheDump() {
    }

    /**
     * @param args the command line
     */
    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /**
     * @param args the command line
     * @param out where results are printed
     * @param err where usage and errors are printed
     * @return the exit status: 0 done, 1 failed, 2 bad usage
     */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0 || !(args[0].equals("dump") || args[0].equals("populate"))) {
            err.print(USAGE);
            return 2;
        }
        Map<String, String> options = new HashMap<>();
        for (int i = 1; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                err.println("Unexpected argument '" + args[i] + "'");
                err.print(USAGE);
                return 2;
            }
            options.put(args[i].substring(2), args[++i]);
        }
        String uri = options.get("redis");
        String dir = options.get("dir");
        String cache = options.get("cache");
        if (uri == null || dir == null || (args[0].equals("dump") && cache == null)) {
            err.println("Missing --redis, --dir" + (args[0].equals("dump") ? " or --cache" : ""));
            err.print(USAGE);
            return 2;
        }
        try {
            String prefix = options.getOrDefault("prefix", "cache-warming");
            int batchSize = Integer.parseInt(options.getOrDefault("batch-size", "1000"));
            Duration timeout = Duration.parse(options.getOrDefault("timeout", "PT10S"));
            RedisClient client = RedisClient.create(uri);
            try (StatefulRedisConnection<byte[], byte[]> connection = client.connect(ByteArrayCodec.INSTANCE)) {
                connection.setAutoFlushCommands(false);
                RedisDumpStore store = new RedisDumpStore(connection.async(), prefix, timeout,
                        connection::flushCommands);
                long start = System.nanoTime();
                if (args[0].equals("dump")) {
                    DumpManifest manifest = new CacheDumper(
                            Integer.parseInt(options.getOrDefault("chunk-entries", "10000")), batchSize)
                        .dump(store, cache, Path.of(dir), System.currentTimeMillis());
                    out.printf("Dumped %d entries of cache '%s' into %d chunk(s) in %s in %.1f s%n",
                            manifest.entries(), cache, manifest.chunks().size(), dir, seconds(start));
                }
                else {
                    CachePopulator.Result result = new CachePopulator(batchSize,
                            Long.parseLong(options.getOrDefault("rate", "0")))
                        .populate(Path.of(dir), store, uri.replaceAll("^.*@", "") + "-" + prefix,
                                System.currentTimeMillis());
                    out.printf("Populated %d entries (%d kept their Redis value, %d expired since the dump) from "
                            + "%d chunk(s), %d already done, in %.1f s%n", result.written(), result.kept(),
                            result.expired(), result.chunksPopulated(), result.chunksSkipped(), seconds(start));
                }
            }
            finally {
                client.shutdown();
            }
            return 0;
        }
        catch (RuntimeException ex) {
            err.println(args[0] + " failed: " + ex.getMessage());
            return 1;
        }
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }
}
