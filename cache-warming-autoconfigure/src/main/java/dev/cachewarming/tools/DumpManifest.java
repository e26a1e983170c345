package dev.cachewarming.tools;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import tools.jackson.databind.json.JsonMapper;

/**
 * The manifest of a dump ({@code manifest.json}): which cache, when, and each chunk file with its entry count and
 * SHA-256, so a populate can check every chunk before trusting it.
 *
 * @param cache the cache name
 * @param created when the dump started, epoch milliseconds (remaining TTLs are counted from here)
 * @param chunks the chunk files, in order
 */
public record DumpManifest(String cache, long created, List<Chunk> chunks) {

    /** The manifest's file name in a dump directory. */
    public static final String FILE_NAME = "manifest.json";

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /**
     * @param name the file name, in the dump directory
     * @param entries how many entries it holds
     * @param sha256 the SHA-256 of the file, hex
     */
    public record Chunk(String name, long entries, String sha256) {
    }

    /** @return the entries of every chunk */
    public long entries() {
        return this.chunks.stream().mapToLong(Chunk::entries).sum();
    }

    /**
     * @param directory the dump directory
     * @throws UncheckedIOException if it cannot be written
     */
    public void write(Path directory) {
        try {
            Path temporary = directory.resolve(FILE_NAME + ".tmp");
            Files.write(temporary, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(this));
            // Renamed into place: a manifest is whole or absent, never half written.
            Files.move(temporary, directory.resolve(FILE_NAME), java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        }
        catch (IOException ex) {
            throw new UncheckedIOException("Cannot write the manifest of dump " + directory, ex);
        }
    }

    /**
     * @param directory a dump directory
     * @return its manifest
     * @throws CorruptDumpException if there is none or it cannot be read
     */
    public static DumpManifest read(Path directory) {
        Path file = directory.resolve(FILE_NAME);
        try {
            return JSON.readValue(Files.readAllBytes(file), DumpManifest.class);
        }
        catch (IOException | RuntimeException ex) {
            throw new CorruptDumpException("Cannot read the manifest " + file + ": " + ex.getMessage(), ex);
        }
    }
}
