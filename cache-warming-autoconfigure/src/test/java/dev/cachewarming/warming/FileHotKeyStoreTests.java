package dev.cachewarming.warming;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.cachewarming.cache.ValueJson;

import static org.assertj.core.api.Assertions.assertThat;

class FileHotKeyStoreTests {

    @TempDir
    Path directory;

    private static SpaceSavingSummary.Counted<String> counted(String key, double count) {
        return new SpaceSavingSummary.Counted<>(key, count, 0);
    }

    @Test
    void savesDecayThePreviousCountsAndKeepTheMostCounted() {
        FileHotKeyStore store = new FileHotKeyStore(this.directory.resolve("nested"), ValueJson.defaults());

        store.save("products", List.of(counted("[1]", 10), counted("[2]", 8)), 0.5, 2);
        store.save("products", List.of(counted("[3]", 6), counted("[2]", 1)), 0.5, 2);

        // Stored counts halve ([1] 10 -> 5, [2] 8 -> 4), then the new ones add ([2] 4 + 1 = 5, [3] 6); two are kept.
        List<SpaceSavingSummary.Counted<String>> kept = store.load("products", 10);
        assertThat(kept).hasSize(2);
        assertThat(kept.get(0).key()).isEqualTo("[3]");
        assertThat(kept.get(0).count()).isEqualTo(6.0);
        assertThat(kept.get(1).count()).isEqualTo(5.0);
        assertThat(store.load("other", 10)).isEmpty();
    }

    @Test
    void cacheNamesAreMadeSafeFileNames() {
        FileHotKeyStore store = new FileHotKeyStore(this.directory, ValueJson.defaults());

        store.save("../evil/name", List.of(counted("[1]", 1)), 1.0, 10);

        assertThat(this.directory.resolve(".._evil_name.hot-keys.json")).exists();
        assertThat(store.load("../evil/name", 10)).extracting(SpaceSavingSummary.Counted::key).containsExactly("[1]");
    }
}
