package dev.cachewarming.actuate;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;

import dev.cachewarming.tools.CacheDumper;
import dev.cachewarming.tools.CachePopulator;
import dev.cachewarming.tools.DumpConnection;
import dev.cachewarming.tools.DumpConnections;
import dev.cachewarming.tools.DumpManifest;

/**
 * {@code /actuator/cachedumps}: the dumps in {@code cache-warming.dump.directory};
 * {@code POST /actuator/cachedumps/{cache}} with {@code {"action":"dump"}} dumps the cache's Redis entries into a
 * new subdirectory (named by {@code name}, by default {@code <cache>-<time>}), and with
 * {@code {"action":"populate","name":"..."}} populates the application's Redis from that dump (rate-limited by
 * {@code cache-warming.dump.populate-rate}; run it again after an interruption to resume).
 *
 * <p>Dumps are named, never given as paths: a request cannot read or write outside the configured directory. The
 * report names no keys or values.
 */
@Endpoint(id = "cachedumps")
public class CacheDumpEndpoint {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,100}");

    private final Path directory;

    private final DumpConnections connections;

    private final CacheDumper dumper;

    private final CachePopulator populator;

    /**
     * @param directory where dumps are
     * @param connections opens the application's Redis
     * @param dumper writes dumps
     * @param populator populates from them
     */
    public CacheDumpEndpoint(Path directory, DumpConnections connections, CacheDumper dumper,
            CachePopulator populator) {
        this.directory = directory;
        this.connections = connections;
        this.dumper = dumper;
        this.populator = populator;
    }

    /** @return every complete dump (one with a manifest), by name */
    @ReadOperation
    public Map<String, DumpSummary> dumps() {
        Map<String, DumpSummary> dumps = new TreeMap<>();
        if (!Files.isDirectory(this.directory)) {
            return dumps;
        }
        try (Stream<Path> children = Files.list(this.directory)) {
            children.filter((child) -> Files.exists(child.resolve(DumpManifest.FILE_NAME)))
                .forEach((child) -> dumps.put(child.getFileName().toString(), summary(DumpManifest.read(child))));
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return dumps;
    }

    /**
     * @param cache the cache
     * @param action {@code dump} or {@code populate}
     * @param name the dump's name (required to populate)
     * @return what was done
     */
    @WriteOperation
    public Map<String, Object> run(@Selector String cache, String action, @Nullable String name) {
        if ("dump".equals(action)) {
            String dumpName = (name != null) ? checked(name)
                    : cache.replaceAll("[^A-Za-z0-9._-]", "_") + "-" + System.currentTimeMillis();
            try (DumpConnection connection = this.connections.open()) {
                DumpManifest manifest = this.dumper.dump(connection, cache, this.directory.resolve(dumpName),
                        System.currentTimeMillis());
                return Map.of("action", "dump", "name", dumpName, "dump", summary(manifest));
            }
        }
        if ("populate".equals(action)) {
            if (name == null) {
                throw new IllegalArgumentException("populate needs the name of a dump");
            }
            Path dump = this.directory.resolve(checked(name));
            DumpManifest manifest = DumpManifest.read(dump);
            if (!manifest.cache().equals(cache)) {
                throw new IllegalArgumentException("Dump '" + name + "' is of cache '" + manifest.cache() + "'");
            }
            try (DumpConnection connection = this.connections.open()) {
                CachePopulator.Result result = this.populator.populate(dump, connection, connection.name(),
                        System.currentTimeMillis());
                return Map.of("action", "populate", "name", name, "chunksPopulated", result.chunksPopulated(),
                        "chunksSkipped", result.chunksSkipped(), "written", result.written(), "kept", result.kept(),
                        "expired", result.expired());
            }
        }
        throw new IllegalArgumentException("action must be 'dump' or 'populate'");
    }

    private static String checked(String name) {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("A dump name is letters, digits, '.', '_' and '-' only");
        }
        return name;
    }

    private static DumpSummary summary(DumpManifest manifest) {
        return new DumpSummary(manifest.cache(), Instant.ofEpochMilli(manifest.created()), manifest.entries(),
                manifest.chunks().size());
    }

    /**
     * @param cache the cache dumped
     * @param created when the dump started
     * @param entries entries in the dump
     * @param chunks chunk files
     */
    public record DumpSummary(String cache, Instant created, long entries, int chunks) {
    }
}
