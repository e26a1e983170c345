package dev.cachewarming.cache;

import io.micrometer.observation.tck.TestObservationRegistry;
import org.junit.jupiter.api.Test;

import dev.cachewarming.observation.CacheLoadContext;
import dev.cachewarming.observation.CacheObservations;

import static io.micrometer.observation.tck.TestObservationRegistryAssert.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The {@code cache.load} observation of {@link TieredCache}, in process (no Redis, no Spring). */
class LoadObservationTests {

    private final TestObservationRegistry registry = TestObservationRegistry.create();

    private final TieredCache cache = new TieredCache("products", CacheSettings.DEFAULTS,
            KeyCodec.typed(ValueJson.defaults(), Long.class), null, null, new MutableClock(),
            new CacheObservations(this.registry));

    @Test
    void missThatRunsTheLoaderIsOneLoadObservationWithCacheTriggerAndResultButNoKey() {
        this.cache.get(42L, () -> "product-42");

        assertThat(this.registry).hasNumberOfObservationsEqualTo(1)
            .hasObservationWithNameEqualTo("cache.load")
            .that()
            .hasContextualNameEqualTo("load products")
            .hasLowCardinalityKeyValue("cache", "products")
            .hasLowCardinalityKeyValue("trigger", "miss")
            .hasLowCardinalityKeyValue("result", "success")
            .hasOnlyKeys("cache", "trigger", "result")
            .doesNotHaveError()
            .hasBeenStarted()
            .hasBeenStopped();
    }

    @Test
    void hitCreatesNoObservation() {
        this.cache.get(42L, () -> "product-42");
        this.registry.clear();

        this.cache.get(42L, () -> "never loaded");

        assertThat(this.registry).doesNotHaveAnyObservation();
    }

    @Test
    void failingLoaderIsAFailedLoadWithItsErrorRecorded() {
        IllegalStateException failure = new IllegalStateException("database down");

        assertThatThrownBy(() -> this.cache.get(42L, () -> {
            throw failure;
        })).isSameAs(failure);

        assertThat(this.registry).hasObservationWithNameEqualTo("cache.load")
            .that()
            .hasLowCardinalityKeyValue("result", "failure")
            .hasError(failure)
            .hasBeenStopped();
    }

    @Test
    void loaderThatFindsNothingIsAnAbsentLoad() {
        this.cache.get(7L, () -> null);

        assertThat(this.registry).hasObservationWithNameEqualTo("cache.load")
            .that()
            .hasLowCardinalityKeyValue("result", "absent");
    }

    @Test
    void explicitLoadIsTriggeredExplicitly() {
        this.cache.get(42L, () -> "product-42");
        this.registry.clear();

        this.cache.load(42L, () -> "product-42 again");

        assertThat(this.registry).hasObservationWithNameEqualTo("cache.load")
            .that()
            .hasLowCardinalityKeyValue("trigger", "explicit");
    }

    @Test
    void contextCarriesTheKeyForConventionsThatWantIt() {
        this.cache.get(42L, () -> "product-42");

        assertThat(this.registry).hasHandledContextsThatSatisfy((contexts) -> org.assertj.core.api.Assertions
            .assertThat(((CacheLoadContext) contexts.get(0)).getKey())
            .isEqualTo(42L));
    }
}
