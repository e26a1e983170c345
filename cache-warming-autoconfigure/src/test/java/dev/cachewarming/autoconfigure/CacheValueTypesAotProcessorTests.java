package dev.cachewarming.autoconfigure;

import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.aot.generate.ClassNameGenerator;
import org.springframework.aot.generate.DefaultGenerationContext;
import org.springframework.aot.generate.InMemoryGeneratedFiles;
import org.springframework.context.aot.ApplicationContextAotGenerator;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.core.env.MapPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/** The value type configured for a {@code @Cacheable}-only cache is loaded by name and bound as JSON. */
class CacheValueTypesAotProcessorTests {

    public record Quote(String symbol, long cents) {
    }

    @Test
    void configuredValueTypeIsBoundForJson() {
        RuntimeHints hints = processWith(Map.of("cache-warming.caches.quotes.value-type", Quote.class.getName()));

        assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(Quote.class, "symbol")).accepts(hints);
        assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(Quote.class, "cents")).accepts(hints);
    }

    @Test
    void cachesWithoutValueTypeAddNothing() {
        RuntimeHints hints = processWith(Map.of("cache-warming.caches.quotes.ttl", "5m"));

        assertThat(RuntimeHintsPredicates.reflection().onType(Quote.class)).rejects(hints);
    }

    private static RuntimeHints processWith(Map<String, Object> properties) {
        GenericApplicationContext context = new GenericApplicationContext();
        context.getEnvironment().getPropertySources().addFirst(new MapPropertySource("test", properties));
        // What process-aot does, with the generated files kept in memory.
        DefaultGenerationContext generation = new DefaultGenerationContext(new ClassNameGenerator(
                org.springframework.javapoet.ClassName.get(CacheValueTypesAotProcessorTests.class.getPackageName(),
                        "Aot")),
                new InMemoryGeneratedFiles());
        new ApplicationContextAotGenerator().processAheadOfTime(context, generation);
        return generation.getRuntimeHints();
    }
}
