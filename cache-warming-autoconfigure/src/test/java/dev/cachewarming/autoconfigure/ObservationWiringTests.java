package dev.cachewarming.autoconfigure;

import io.micrometer.common.KeyValues;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.tracing.handler.DefaultTracingObservationHandler;
import io.micrometer.tracing.test.simple.SimpleSpan;
import io.micrometer.tracing.test.simple.SimpleTracer;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import dev.cachewarming.cache.TieredCacheRegistry;
import dev.cachewarming.observation.CacheLoadContext;
import dev.cachewarming.observation.CacheLoadObservationConvention;
import dev.cachewarming.observation.CacheObservations;
import dev.cachewarming.observation.DefaultCacheLoadObservationConvention;

import static org.assertj.core.api.Assertions.assertThat;

/** How the auto-configuration finds the application's {@link ObservationRegistry} and conventions. */
class ObservationWiringTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(CacheWarmingAutoConfiguration.class));

    @Test
    void withoutAnObservationRegistryNothingIsObserved() {
        this.runner.run((context) -> {
            assertThat(context.getBean(CacheObservations.class).isNoop()).isTrue();
            assertThat(context.getBean(CacheObservations.class).registry()).isSameAs(ObservationRegistry.NOOP);
        });
    }

    @Test
    void cachesObserveLoadsThroughTheApplicationsRegistry() {
        TestObservationRegistry observations = TestObservationRegistry.create();
        this.runner.withBean(TestObservationRegistry.class, () -> observations).run((context) -> {
            context.getBean(TieredCacheRegistry.class).cache("books").get(1L, () -> "Dune");

            io.micrometer.observation.tck.TestObservationRegistryAssert.assertThat(observations)
                .hasObservationWithNameEqualTo("cache.load")
                .that()
                .hasLowCardinalityKeyValue("cache", "books");
        });
    }

    @Test
    void conventionBeanReplacesTheDefaultOne() {
        TestObservationRegistry observations = TestObservationRegistry.create();
        this.runner.withBean(TestObservationRegistry.class, () -> observations)
            .withBean(CacheLoadObservationConvention.class, KeyReportingLoadConvention::new)
            .run((context) -> {
                context.getBean(TieredCacheRegistry.class).cache("books").get(1L, () -> "Dune");

                io.micrometer.observation.tck.TestObservationRegistryAssert.assertThat(observations)
                    .hasObservationWithNameEqualTo("cache.load")
                    .that()
                    .hasLowCardinalityKeyValue("result", "success")
                    .hasHighCardinalityKeyValue("key", "1");
            });
    }

    @Test
    void loadsBecomeSpansWhenATracingHandlerIsRegisteredWithBootsObservationRegistry() {
        // What an actuator application gets from a tracing bridge: Boot's registry with a tracing handler.
        SimpleTracer tracer = new SimpleTracer();
        this.runner.withConfiguration(AutoConfigurations.of(ObservationAutoConfiguration.class))
            .withBean(DefaultTracingObservationHandler.class, () -> new DefaultTracingObservationHandler(tracer))
            .run((context) -> {
                context.getBean(TieredCacheRegistry.class).cache("books").get(1L, () -> "Dune");

                assertThat(tracer.getSpans()).hasSize(1);
                SimpleSpan span = tracer.getSpans().getFirst();
                assertThat(span.getName()).isEqualTo("load books");
                assertThat(span.getTags()).containsEntry("cache", "books")
                    .containsEntry("trigger", "miss")
                    .containsEntry("result", "success")
                    .doesNotContainKey("key");
            });
    }

    /** A user's convention: the default one plus the key, as a high-cardinality key value (span tag only). */
    static class KeyReportingLoadConvention extends DefaultCacheLoadObservationConvention {

        @Override
        public KeyValues getHighCardinalityKeyValues(CacheLoadContext context) {
            return KeyValues.of("key", String.valueOf(context.getKey()));
        }
    }
}
