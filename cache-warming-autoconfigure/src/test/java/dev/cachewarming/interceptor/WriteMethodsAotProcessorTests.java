package dev.cachewarming.interceptor;

import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.aot.generate.ClassNameGenerator;
import org.springframework.aot.generate.DefaultGenerationContext;
import org.springframework.aot.generate.InMemoryGeneratedFiles;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.context.aot.ApplicationContextAotGenerator;
import org.springframework.context.support.GenericApplicationContext;

import dev.cachewarming.annotation.WriteBehind;
import dev.cachewarming.annotation.WriteThrough;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Build-time processing of a context with write methods, through Spring's own AOT generator (which finds
 * {@link WriteMethodsAotProcessor} in {@code aot.factories}): a native image can then invoke the write-behind
 * writer and bind the written values as the starter does by reflection.
 */
class WriteMethodsAotProcessorTests {

    public record Sku(String code) {
    }

    public record Stock(Sku sku, int quantity) {
    }

    public record Price(Sku sku, long cents) {
    }

    public static class Inventory {

        @WriteBehind(cacheName = "stock", key = "#stock.sku.code", value = "#stock", writer = "writeAll")
        public void update(Stock stock) {
        }

        public void writeAll(List<Stock> stocks) {
        }

        @WriteThrough(cacheName = "prices", key = "#result.sku.code")
        public Price reprice(Sku sku, long cents) {
            return new Price(sku, cents);
        }

        public void notAnnotated(String anything) {
        }
    }

    private RuntimeHints hints;

    @BeforeEach
    void processContextAheadOfTime() {
        GenericApplicationContext context = new GenericApplicationContext();
        context.registerBean("inventory", Inventory.class);
        DefaultGenerationContext generation = new DefaultGenerationContext(
                new ClassNameGenerator(org.springframework.javapoet.ClassName.get(getClass().getPackageName(), "Aot")),
                new InMemoryGeneratedFiles());
        new ApplicationContextAotGenerator().processAheadOfTime(context, generation);
        this.hints = generation.getRuntimeHints();
    }

    @Test
    void theWriteBehindWriterCanBeInvokedReflectively() throws Exception {
        assertThat(RuntimeHintsPredicates.reflection()
            .onMethodInvocation(Inventory.class.getMethod("writeAll", List.class))).accepts(this.hints);
    }

    @Test
    void writtenValueTypesAreBoundForJsonAndKeyExpressions() {
        // Stock: the write-behind value (and the writer's element type); Price: the write-through result;
        // Sku: a component of both, which the key expressions navigate.
        assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(Stock.class, "quantity")).accepts(this.hints);
        assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(Price.class, "cents")).accepts(this.hints);
        assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(Sku.class, "code")).accepts(this.hints);
    }

    @Test
    void methodsWithoutTheAnnotationsGetNoHints() throws Exception {
        assertThat(RuntimeHintsPredicates.reflection()
            .onMethodInvocation(Inventory.class.getMethod("notAnnotated", String.class))).rejects(this.hints);
    }

    @Test
    void contextWithoutWriteMethodsContributesNothing() {
        DefaultListableBeanFactory beanFactory = new DefaultListableBeanFactory();
        beanFactory.registerSingleton("text", "no annotations");

        assertThat(new WriteMethodsAotProcessor().processAheadOfTime(beanFactory)).isNull();
    }
}
