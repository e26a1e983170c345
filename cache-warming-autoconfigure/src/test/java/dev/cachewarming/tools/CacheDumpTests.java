package dev.cachewarming.tools;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import dev.cachewarming.test.redis.RedisServer;
import dev.cachewarming.test.redis.RedisServerExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Dump and populate: 100k entries from a real Redis through the command line, an interrupted populate resumed, a
 * corrupted chunk refused.
 */
@ExtendWith(RedisServerExtension.class)
class CacheDumpTests {

    private static final int ENTRIES = 100_000;

    private static final int SHORT_LIVED = 1_000;

    private static final long SHORT_TTL = 6_000;

    @TempDir
    Path temp;

    @Test
    void dumpOf100kEntriesPopulatesAnEmptyRedisWithEveryUnexpiredEntry(RedisServer redis) throws Exception {
        String source = "redis://" + redis.host() + ":" + redis.port() + "/2";
        String empty = "redis://" + redis.host() + ":" + redis.port() + "/3";
        RedisClient client = RedisClient.create(source);
        try (StatefulRedisConnection<byte[], byte[]> connection = client.connect(ByteArrayCodec.INSTANCE)) {
            RedisAsyncCommands<byte[], byte[]> commands = connection.async();
            commands.flushdb().get();
            List<RedisFuture<String>> sets = new ArrayList<>();
            for (int i = ENTRIES - 1; i >= 0; i--) {
                // The first SHORT_LIVED (written last) expire between the dump and the populate.
                long ttl = (i < SHORT_LIVED) ? SHORT_TTL : 600_000;
                sets.add(commands.set(bytes("dumps:products:" + i), bytes("{\"v\":" + i + ",\"w\":1,\"e\":2}"),
                        SetArgs.Builder.px(ttl)));
            }
            for (RedisFuture<String> set : sets) {
                set.get();
            }
            commands.set(bytes("dumps:other:1"), bytes("not this cache")).get();
        }
        finally {
            client.shutdown();
        }
        long seeded = System.nanoTime();
        Path dir = this.temp.resolve("products");

        long dumpStart = System.nanoTime();
        assertThat(cli("dump", "--redis", source, "--prefix", "dumps", "--cache", "products", "--dir", dir.toString()))
            .contains("Dumped 100000 entries of cache 'products' into 10 chunk(s)");
        long dumpNanos = System.nanoTime() - dumpStart;
        DumpManifest manifest = DumpManifest.read(dir);
        assertThat(manifest.entries()).isEqualTo(ENTRIES);
        assertThat(manifest.chunks()).allSatisfy((chunk) -> assertThat(chunk.sha256()).hasSize(64));
        assertThat(Duration.ofNanos(System.nanoTime() - seeded)).as("dumped before the short-lived expired")
            .isLessThan(Duration.ofMillis(SHORT_TTL));
        TimeUnit.NANOSECONDS.sleep(Math.max(0, seeded + TimeUnit.MILLISECONDS.toNanos(SHORT_TTL + 200)
                - System.nanoTime()));

        long populateStart = System.nanoTime();
        assertThat(cli("populate", "--redis", empty, "--prefix", "dumps", "--dir", dir.toString()))
            .contains("Populated 99000 entries (0 kept their Redis value, 1000 expired since the dump) from 10 chunk(s)");
        long populateNanos = System.nanoTime() - populateStart;
        System.out.printf("Dump of %d entries: %.0f entries/s; populate: %.0f entries/s (CLI, JVM start included)%n",
                ENTRIES, ENTRIES / (dumpNanos / 1e9), (ENTRIES - SHORT_LIVED) / (populateNanos / 1e9));

        RedisClient target = RedisClient.create(empty);
        try (StatefulRedisConnection<byte[], byte[]> connection = target.connect(ByteArrayCodec.INSTANCE)) {
            RedisAsyncCommands<byte[], byte[]> commands = connection.async();
            assertThat(commands.dbsize().get()).isEqualTo(ENTRIES - SHORT_LIVED);
            assertThat(new String(commands.get(bytes("dumps:products:54321")).get(), StandardCharsets.UTF_8))
                .isEqualTo("{\"v\":54321,\"w\":1,\"e\":2}");
            assertThat(commands.pttl(bytes("dumps:products:54321")).get()).as("the TTL left, less the time since the dump").isBetween(570_000L, 595_000L);
            assertThat(commands.exists(bytes("dumps:products:5")).get()).as("expired since the dump").isZero();
        }
        finally {
            target.shutdown();
        }
    }

    @Test
    void interruptedPopulateResumesWithoutRedoingCompletedChunks() {
        Path dir = this.temp.resolve("resume");
        new CacheDumper(100, 50).dump(new InMemorySource(1_000), "items", dir, System.currentTimeMillis());
        Map<String, AtomicInteger> writes = new ConcurrentHashMap<>();
        AtomicInteger batches = new AtomicInteger();
        PopulateTarget crashing = (cache, entries) -> {
            if (batches.incrementAndGet() == 8) { // in the 4th chunk (2 batches of 50 per chunk of 100)
                throw new IllegalStateException("connection lost");
            }
            entries.forEach((entry) -> writes.computeIfAbsent(entry.key(), (k) -> new AtomicInteger())
                .incrementAndGet());
            return entries.size();
        };
        CachePopulator populator = new CachePopulator(50, 0);

        assertThatThrownBy(() -> populator.populate(dir, crashing, "target", System.currentTimeMillis()))
            .hasMessage("connection lost");
        assertThat(writes).hasSize(350);

        CachePopulator.Result resumed = populator.populate(dir, crashing, "target", System.currentTimeMillis());

        assertThat(resumed.chunksSkipped()).isEqualTo(3);
        assertThat(resumed.chunksPopulated()).isEqualTo(7);
        assertThat(resumed.written()).isEqualTo(700);
        assertThat(writes).hasSize(1_000);
        long writtenTwice = writes.values().stream().filter((count) -> count.get() > 1).count();
        assertThat(writtenTwice).as("only the half chunk under way when it failed").isEqualTo(50);
    }

    @Test
    void corruptedChunkFailsWithAnErrorNamingTheFile() throws Exception {
        Path dir = this.temp.resolve("corrupt");
        new CacheDumper(100, 50).dump(new InMemorySource(300), "items", dir, System.currentTimeMillis());
        Path chunk = dir.resolve("chunk-00001.bin.gz");
        byte[] bytes = Files.readAllBytes(chunk);
        bytes[bytes.length / 2] ^= 0x5A;
        Files.write(chunk, bytes);
        AtomicInteger written = new AtomicInteger();

        assertThatThrownBy(() -> new CachePopulator(50, 0).populate(dir, (cache, entries) -> {
            written.addAndGet(entries.size());
            return entries.size();
        }, "target", System.currentTimeMillis())).isInstanceOf(CorruptDumpException.class)
            .hasMessageContaining(chunk.toString())
            .hasMessageContaining("is corrupted: its SHA-256 is");
        assertThat(written).as("the chunk before it").hasValue(100);
    }

    @Test
    void populateIsRateLimited() {
        Path dir = this.temp.resolve("rate");
        new CacheDumper(1_000, 100).dump(new InMemorySource(3_000), "items", dir, System.currentTimeMillis());
        long start = System.nanoTime();

        new CachePopulator(100, 1_000).populate(dir, (cache, entries) -> entries.size(), "t",
                System.currentTimeMillis());

        // 1000 at once (the bucket starts full), then 2000 at 1000 per second
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(1_800),
                Duration.ofMillis(4_000));
    }

    @Test
    void commandLineWithoutACommandPrintsUsage() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int status = CacheDump.run(new String[0], new PrintStream(new ByteArrayOutputStream()), new PrintStream(err));

        assertThat(status).isEqualTo(2);
        assertThat(err.toString()).contains("CacheDump dump     --redis <uri> --cache <name> --dir");
    }

    private static String cli(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = CacheDump.run(args, new PrintStream(out), new PrintStream(err));
        assertThat(status).as(err.toString()).isZero();
        return out.toString();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** Entries key-0 .. key-(n-1), with ten minutes to live. */
    private record InMemorySource(int entries) implements DumpSource {

        @Override
        public void readAll(String cache, int batchSize, Consumer<List<DumpEntry>> batches) {
            List<DumpEntry> batch = new ArrayList<>();
            for (int i = 0; i < this.entries; i++) {
                batch.add(new DumpEntry("key-" + i, bytes("{\"v\":" + i + "}"), 600_000));
                if (batch.size() == batchSize) {
                    batches.accept(batch);
                    batch = new ArrayList<>();
                }
            }
            batches.accept(batch);
        }
    }
}
