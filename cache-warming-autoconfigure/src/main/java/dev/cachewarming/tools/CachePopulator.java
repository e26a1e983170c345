package dev.cachewarming.tools;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.zip.GZIPInputStream;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;

/**
 * Populates a store from a dump, chunk by chunk: checks each chunk's SHA-256 against the manifest before using it,
 * skips entries whose TTL ran out since the dump (their remaining TTL is reduced by the time elapsed since the
 * manifest's {@code created}), writes the rest in batches at most {@code entriesPerSecond} (Bucket4j), and records
 * each completed chunk in a progress file beside the manifest, so that a populate interrupted and run again
 * skips the chunks already done.
 */
public final class CachePopulator {

    private final int batchSize;

    private final Bucket rate;

    private final long capacity;

    /**
     * @param batchSize entries per write to the store
     * @param entriesPerSecond the most entries written per second; 0 for no limit
     */
    public CachePopulator(int batchSize, long entriesPerSecond) {
        this.batchSize = batchSize;
        this.capacity = entriesPerSecond;
        this.rate = (entriesPerSecond > 0) ? Bucket.builder()
            .addLimit(Bandwidth.builder().capacity(entriesPerSecond)
                .refillGreedy(entriesPerSecond, Duration.ofSeconds(1))
                .build())
            .build() : null;
    }

    /**
     * What a populate did.
     *
     * @param chunksPopulated chunks written by this run
     * @param chunksSkipped chunks a previous run had completed
     * @param written entries written
     * @param kept entries the store already held (kept its own value)
     * @param expired entries left out because their TTL ran out since the dump
     */
    public record Result(int chunksPopulated, int chunksSkipped, long written, long kept, long expired) {
    }

    /**
     * @param directory the dump directory
     * @param target where the entries go
     * @param progressName names the progress file ({@code populate-<name>.progress}), one per target, so that the
     * same dump can populate several stores
     * @param nowMillis the current time
     * @return what was done
     * @throws CorruptDumpException if a chunk does not match the manifest (the message names the file)
     */
    public Result populate(Path directory, PopulateTarget target, String progressName, long nowMillis) {
        DumpManifest manifest = DumpManifest.read(directory);
        long elapsed = Math.max(0, nowMillis - manifest.created());
        Path progress = directory.resolve("populate-" + progressName.replaceAll("[^A-Za-z0-9._-]", "_") + ".progress");
        Set<String> done = readProgress(progress);
        int populated = 0;
        int skipped = 0;
        long[] counts = new long[3]; // written, kept, expired
        for (DumpManifest.Chunk chunk : manifest.chunks()) {
            if (done.contains(chunk.name())) {
                skipped++;
                continue;
            }
            Path file = directory.resolve(chunk.name());
            verify(file, chunk);
            populateChunk(file, chunk, manifest.cache(), target, elapsed, counts);
            markDone(progress, chunk.name());
            populated++;
        }
        return new Result(populated, skipped, counts[0], counts[1], counts[2]);
    }

    private void populateChunk(Path file, DumpManifest.Chunk chunk, String cache, PopulateTarget target,
            long elapsed, long[] counts) {
        List<DumpEntry> batch = new ArrayList<>(this.batchSize);
        long read = 0;
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(
                new GZIPInputStream(Files.newInputStream(file), 64 * 1024), 64 * 1024))) {
            while (true) {
                int keyLength = in.readInt();
                if (keyLength == CacheDumper.END) {
                    break;
                }
                String key = new String(in.readNBytes(keyLength), StandardCharsets.UTF_8);
                byte[] value = in.readNBytes(in.readInt());
                long ttl = in.readLong();
                read++;
                // A negative TTL is Redis's "no expiry": kept as it is.
                long remaining = (ttl < 0) ? ttl : ttl - elapsed;
                if (ttl >= 0 && remaining <= 0) {
                    counts[2]++;
                    continue;
                }
                batch.add(new DumpEntry(key, value, remaining));
                if (batch.size() == this.batchSize) {
                    write(cache, target, batch, counts);
                }
            }
        }
        catch (EOFException ex) {
            throw new CorruptDumpException("Chunk " + file + " ends early (truncated)", ex);
        }
        catch (IOException ex) {
            throw new CorruptDumpException("Cannot read chunk " + file + ": " + ex.getMessage(), ex);
        }
        if (read != chunk.entries()) {
            throw new CorruptDumpException("Chunk " + file + " holds " + read + " entries, its manifest says "
                    + chunk.entries(), null);
        }
        write(cache, target, batch, counts);
    }

    private void write(String cache, PopulateTarget target, List<DumpEntry> batch, long[] counts) {
        if (batch.isEmpty()) {
            return;
        }
        if (this.rate != null) {
            try {
                // A batch larger than a second's allowance waits for it in parts.
                long left = batch.size();
                while (left > 0) {
                    long part = Math.min(left, this.capacity);
                    this.rate.asBlocking().consume(part);
                    left -= part;
                }
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while populating; run again to resume", ex);
            }
        }
        int written = target.writeAll(cache, batch);
        counts[0] += written;
        counts[1] += batch.size() - written;
        batch.clear();
    }

    /**
     * @throws CorruptDumpException naming the file if it is missing or its SHA-256 is not the manifest's
     */
    static void verify(Path file, DumpManifest.Chunk chunk) {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        }
        catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException(ex);
        }
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
        }
        catch (IOException ex) {
            throw new CorruptDumpException("Cannot read chunk " + file + ": " + ex.getMessage(), ex);
        }
        String actual = HexFormat.of().formatHex(digest.digest());
        if (!actual.equalsIgnoreCase(chunk.sha256())) {
            throw new CorruptDumpException("Chunk " + file + " is corrupted: its SHA-256 is " + actual
                    + ", the manifest says " + chunk.sha256() + "; dump the cache again", null);
        }
    }

    private static Set<String> readProgress(Path progress) {
        try {
            return Files.exists(progress) ? new HashSet<>(Files.readAllLines(progress)) : new HashSet<>();
        }
        catch (IOException ex) {
            throw new UncheckedIOException("Cannot read " + progress, ex);
        }
    }

    private static void markDone(Path progress, String chunk) {
        try {
            Files.writeString(progress, chunk + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND,
                    StandardOpenOption.SYNC);
        }
        catch (IOException ex) {
            throw new UncheckedIOException("Cannot record progress in " + progress, ex);
        }
    }
}
