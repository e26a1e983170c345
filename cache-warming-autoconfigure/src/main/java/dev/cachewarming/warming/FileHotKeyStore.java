package dev.cachewarming.warming;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import dev.cachewarming.cache.ValueJson;

/**
 * Remembers hot keys in one JSON file per cache, {@code <directory>/<cache>.hot-keys.json}, written atomically
 * (a temporary file moved into place), so a crash never leaves a half-written file.
 */
public final class FileHotKeyStore implements HotKeyStore {

    private static final Pattern UNSAFE = Pattern.compile("[^A-Za-z0-9._-]");

    private final Path directory;

    private final ValueJson json;

    /**
     * @param directory where the files live; created when first needed
     * @param json JSON support
     */
    public FileHotKeyStore(Path directory, ValueJson json) {
        this.directory = directory;
        this.json = json;
    }

    @Override
    public synchronized void save(String cache, List<SpaceSavingSummary.Counted<String>> counts, double decay,
            int keep) {
        // Exact sums (as Redis ZINCRBY does), then the most counted are kept.
        Map<String, Double> merged = new LinkedHashMap<>();
        for (SpaceSavingSummary.Counted<String> stored : load(cache, keep)) {
            merged.merge(stored.key(), stored.count() * decay, Double::sum);
        }
        for (SpaceSavingSummary.Counted<String> counted : counts) {
            merged.merge(counted.key(), counted.count(), Double::sum);
        }
        List<StoredKey> rows = new ArrayList<>();
        merged.entrySet()
            .stream()
            .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
            .limit(keep)
            .forEach((entry) -> rows.add(new StoredKey(entry.getKey(), entry.getValue())));
        try {
            Files.createDirectories(this.directory);
            Path target = file(cache);
            Path temporary = Files.createTempFile(this.directory, ".hot-keys", ".tmp");
            Files.write(temporary, this.json.writeBytes(rows));
            Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
        catch (IOException ex) {
            throw new IllegalStateException("Cannot write hot keys of cache '" + cache + "' to " + this.directory, ex);
        }
    }

    @Override
    public synchronized List<SpaceSavingSummary.Counted<String>> load(String cache, int limit) {
        Path file = file(cache);
        if (!Files.isRegularFile(file)) {
            return List.of();
        }
        try {
            StoredKey[] rows = this.json.readBytes(Files.readAllBytes(file), this.json.type(StoredKey[].class));
            List<SpaceSavingSummary.Counted<String>> keys = new ArrayList<>();
            for (int i = 0; i < rows.length && i < limit; i++) {
                keys.add(new SpaceSavingSummary.Counted<>(rows[i].k(), rows[i].c(), 0));
            }
            return keys;
        }
        catch (IOException | RuntimeException ex) {
            throw new IllegalStateException("Cannot read hot keys of cache '" + cache + "' from " + file, ex);
        }
    }

    @Override
    public String describe() {
        return "files in " + this.directory;
    }

    private Path file(String cache) {
        return this.directory.resolve(UNSAFE.matcher(cache).replaceAll("_") + ".hot-keys.json");
    }

    /** One stored key: {@code {"k": encoded arguments, "c": count}}. */
    record StoredKey(String k, double c) {
    }
}
