package dev.cachewarming.tools;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/**
 * Dumps a cache's entries into a directory: gzip chunk files of {@code chunkEntries} entries each, then
 * {@code manifest.json} naming them with their entry counts and SHA-256 (the manifest is written last, so a dump
 * without one is incomplete).
 *
 * <p>Chunk format (inside gzip): per entry {@code int keyLength, key (UTF-8), int valueLength, value, long ttlMillis},
 * then {@code int -1} as an end marker, so a truncated chunk is detected even when its checksum is not checked.
 * Each batch is read at its own moment: the dump is consistent per entry, not a snapshot of the cache.
 */
public final class CacheDumper {

    static final int END = -1;

    private final int chunkEntries;

    private final int batchSize;

    /**
     * @param chunkEntries entries per chunk file
     * @param batchSize entries read from the store per round trip
     */
    public CacheDumper(int chunkEntries, int batchSize) {
        this.chunkEntries = chunkEntries;
        this.batchSize = batchSize;
    }

    /**
     * @param source where the entries are read
     * @param cache the cache name
     * @param directory an empty (or new) directory
     * @param nowMillis the current time, recorded as the dump's creation
     * @return the manifest written
     * @throws UncheckedIOException if a file cannot be written
     */
    public DumpManifest dump(DumpSource source, String cache, Path directory, long nowMillis) {
        try {
            Files.createDirectories(directory);
            if (Files.exists(directory.resolve(DumpManifest.FILE_NAME))) {
                throw new IllegalStateException("Directory " + directory + " already holds a dump; choose another");
            }
            ChunkWriter writer = new ChunkWriter(directory);
            source.readAll(cache, this.batchSize, (batch) -> {
                for (DumpEntry entry : batch) {
                    writer.write(entry);
                }
            });
            DumpManifest manifest = new DumpManifest(cache, nowMillis, writer.finish());
            manifest.write(directory);
            return manifest;
        }
        catch (IOException ex) {
            throw new UncheckedIOException("Cannot dump cache '" + cache + "' into " + directory, ex);
        }
    }

    /** Rolls chunk files over every {@code chunkEntries} entries. */
    private final class ChunkWriter {

        private final Path directory;

        private final List<DumpManifest.Chunk> chunks = new ArrayList<>();

        private DataOutputStream out;

        private MessageDigest digest;

        private String name;

        private long entries;

        ChunkWriter(Path directory) {
            this.directory = directory;
        }

        void write(DumpEntry entry) {
            try {
                if (this.out == null) {
                    open();
                }
                byte[] key = entry.key().getBytes(StandardCharsets.UTF_8);
                this.out.writeInt(key.length);
                this.out.write(key);
                this.out.writeInt(entry.value().length);
                this.out.write(entry.value());
                this.out.writeLong(entry.ttlMillis());
                if (++this.entries == CacheDumper.this.chunkEntries) {
                    close();
                }
            }
            catch (IOException ex) {
                throw new UncheckedIOException("Cannot write chunk " + this.directory.resolve(this.name), ex);
            }
        }

        private void open() throws IOException {
            this.name = String.format("chunk-%05d.bin.gz", this.chunks.size());
            try {
                this.digest = MessageDigest.getInstance("SHA-256");
            }
            catch (NoSuchAlgorithmException ex) {
                throw new IllegalStateException(ex);
            }
            OutputStream file = Files.newOutputStream(this.directory.resolve(this.name));
            this.out = new DataOutputStream(new BufferedOutputStream(
                    new GZIPOutputStream(new DigestOutputStream(file, this.digest), 64 * 1024), 64 * 1024));
            this.entries = 0;
        }

        private void close() throws IOException {
            this.out.writeInt(END);
            this.out.close();
            this.chunks.add(new DumpManifest.Chunk(this.name, this.entries,
                    HexFormat.of().formatHex(this.digest.digest())));
            this.out = null;
        }

        List<DumpManifest.Chunk> finish() throws IOException {
            if (this.out != null) {
                close();
            }
            return this.chunks;
        }
    }
}
