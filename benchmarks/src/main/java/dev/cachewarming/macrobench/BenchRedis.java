package dev.cachewarming.macrobench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import dev.cachewarming.test.redis.RedisProcessServer;

/**
 * A {@code redis-server} of the benchmarks' own, on a free loopback port and without persistence, so runs never
 * touch another Redis and start empty.
 */
public final class BenchRedis implements AutoCloseable {

    private final RedisProcessServer server = RedisProcessServer.startOnFreePort();

    /** @return Spring Boot properties that point {@code spring.data.redis} at this server */
    public String[] springProperties() {
        return new String[] { "spring.data.redis.host=" + this.server.host(),
                "spring.data.redis.port=" + this.server.port() };
    }

    /** @return the server, to pause, kill or restart it */
    public dev.cachewarming.test.redis.RedisServer server() {
        return this.server;
    }

    /** @return the port */
    public int port() {
        return this.server.port();
    }

    /** Deletes every key. */
    public void flushAll() {
        this.server.flushAll();
    }

    /**
     * Runs {@code redis-benchmark -P 16 -t set}: SETs of values of the given size, 16 commands per round trip,
     * the Redis side of the physical limit of warming.
     * @param requests how many SETs
     * @param valueBytes the size of each value
     * @return SETs per second
     */
    public double redisBenchmarkSet(int requests, int valueBytes) throws Exception {
        return redisBenchmark("set", requests, valueBytes);
    }

    /**
     * Runs {@code redis-benchmark -P 16 -t <test>} with values of the given size.
     * @param test {@code set} or {@code get}
     * @param requests how many commands
     * @param valueBytes the size of each value
     * @return commands per second
     */
    public double redisBenchmark(String test, int requests, int valueBytes) throws Exception {
        String name = "\"" + test.toUpperCase(java.util.Locale.ROOT) + "\"";
        List<String> command = new ArrayList<>(List.of("redis-benchmark", "-h", "127.0.0.1", "-p",
                String.valueOf(this.server.port()), "-P", "16", "-t", test, "-d", String.valueOf(valueBytes), "-n",
                String.valueOf(requests), "-r", String.valueOf(requests), "-c", "50", "--csv"));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        double rate = -1;
        StringBuilder output = new StringBuilder();
        try (BufferedReader reader = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                output.append(line).append('\n');
                if (line.startsWith(name)) {
                    rate = Double.parseDouble(line.split(",")[1].replace("\"", ""));
                }
            }
        }
        if (process.waitFor() != 0 || rate < 0) {
            throw new IllegalStateException("redis-benchmark failed:\n" + output);
        }
        return rate;
    }

    /**
     * Deletes the keys that match a pattern, e.g. one cache's entries, keeping the rest (remembered hot keys).
     * @param pattern a {@code KEYS} pattern
     * @return how many keys were deleted
     */
    public long deleteMatching(String pattern) {
        io.lettuce.core.RedisClient client = io.lettuce.core.RedisClient.create("redis://127.0.0.1:" + port());
        try (io.lettuce.core.api.StatefulRedisConnection<String, String> connection = client.connect()) {
            List<String> keys = connection.sync().keys(pattern);
            long deleted = 0;
            for (int i = 0; i < keys.size(); i += 1000) {
                deleted += connection.sync().del(keys.subList(i, Math.min(keys.size(), i + 1000)).toArray(String[]::new));
            }
            return deleted;
        }
        finally {
            client.shutdown();
        }
    }

    @Override
    public void close() {
        this.server.close();
    }
}
