package dev.cachewarming.autoconfigure;

import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.aot.hint.MemberCategory;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.core.io.support.SpringFactoriesLoader;

import dev.cachewarming.actuate.WarmingEndpoint;
import dev.cachewarming.annotation.RefreshAhead;
import dev.cachewarming.annotation.StampedeProtected;
import dev.cachewarming.annotation.Warmable;

import static org.assertj.core.api.Assertions.assertThat;

/** The hints every application of the starter gets: annotations and the starter's own JSON types. */
class CacheWarmingRuntimeHintsTests {

    private final RuntimeHints hints = registered();

    private static RuntimeHints registered() {
        RuntimeHints hints = new RuntimeHints();
        new CacheWarmingRuntimeHints().registerHints(hints, CacheWarmingRuntimeHintsTests.class.getClassLoader());
        return hints;
    }

    @Test
    void annotationAttributesCanBeRead() {
        for (Class<?> annotation : List.of(StampedeProtected.class, RefreshAhead.class, Warmable.class)) {
            assertThat(RuntimeHintsPredicates.reflection()
                .onType(annotation)
                .withMemberCategory(MemberCategory.INVOKE_DECLARED_METHODS)).accepts(this.hints);
        }
    }

    @Test
    void redisEnvelopeIsBoundAsJson() throws Exception {
        assertBound("dev.cachewarming.cache.EntryCodec$Envelope", "v", "w", "e", "l");
    }

    @Test
    void invalidationMessageIsBoundAsJson() throws Exception {
        assertBound("dev.cachewarming.redis.InvalidationMessage", "i", "c", "k", "ks", "t");
    }

    @Test
    void hotKeyFileRowsAreBoundAsJson() throws Exception {
        assertBound("dev.cachewarming.warming.FileHotKeyStore$StoredKey", "k", "c");
    }

    @Test
    void endpointReportIsBoundDownToItsNestedRecords() {
        // CacheReport is reached as a Map value, HotKey as a List element.
        assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(WarmingEndpoint.WarmingReport.class,
                "caches")).accepts(this.hints);
        assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(WarmingEndpoint.CacheReport.class,
                "warmup")).accepts(this.hints);
        assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(WarmingEndpoint.Concurrency.class,
                "maxInFlight")).accepts(this.hints);
        assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(WarmingEndpoint.HotKey.class, "count"))
            .accepts(this.hints);
        assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(WarmingEndpoint.RewarmResponse.class,
                "state")).accepts(this.hints);
    }

    @Test
    void registrarIsFoundThroughAotFactories() {
        List<RuntimeHintsRegistrar> registrars = SpringFactoriesLoader
            .forResourceLocation("META-INF/spring/aot.factories")
            .load(RuntimeHintsRegistrar.class);

        assertThat(registrars).hasAtLeastOneElementOfType(CacheWarmingRuntimeHints.class);
    }

    private void assertBound(String className, String... components) throws Exception {
        Class<?> type = Class.forName(className);
        assertThat(RuntimeHintsPredicates.reflection()
            .onType(type)
            .withMemberCategory(MemberCategory.INVOKE_DECLARED_CONSTRUCTORS)).accepts(this.hints);
        for (String component : components) {
            assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(type, component)).accepts(this.hints);
        }
    }
}
