package dev.cachewarming.interceptor;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.aot.generate.ClassNameGenerator;
import org.springframework.aot.generate.DefaultGenerationContext;
import org.springframework.aot.generate.InMemoryGeneratedFiles;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.context.aot.ApplicationContextAotGenerator;
import org.springframework.context.support.GenericApplicationContext;

import dev.cachewarming.annotation.RefreshAhead;
import dev.cachewarming.annotation.StampedeProtected;
import dev.cachewarming.annotation.Warmable;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Build-time processing of a context whose beans carry the annotations, through Spring's own AOT generator (which
 * finds {@link CachedMethodsAotProcessor} in {@code aot.factories}): the hints let a native image do what the
 * starter does by reflection at startup and when warming.
 */
class CachedMethodsAotProcessorTests {

    public record Author(String name) {
    }

    public record Book(String isbn, String title, Author author) {
    }

    public record Genre(String code) {
    }

    public record Price(long cents) {
    }

    public record Sku(String value) {
    }

    public static class Shelf {

        @Warmable(cacheName = "books", batchMethod = "findAll", batchKey = "isbn",
                keys = "@shelfStats.popularIsbns(10)")
        @StampedeProtected(cacheName = "books")
        public Book find(String isbn) {
            return new Book(isbn, "t", new Author("a"));
        }

        public List<Book> findAll(Collection<String> isbns) {
            return List.of();
        }

        @RefreshAhead
        public Map<String, List<Author>> authorsByGenre(Genre genre) {
            return Map.of();
        }

        public String notAnnotated(Sku sku) {
            return "";
        }
    }

    public static class ShelfStats {

        public List<String> popularIsbns(int limit) {
            return List.of();
        }
    }

    /** Annotated on the interface only, as a Spring Data repository method is. */
    public interface Prices {

        @StampedeProtected
        Optional<Price> price(Sku sku);
    }

    public static class FixedPrices implements Prices {

        @Override
        public Optional<Price> price(Sku sku) {
            return Optional.empty();
        }
    }

    private RuntimeHints hints;

    @BeforeEach
    void processContextAheadOfTime() {
        GenericApplicationContext context = new GenericApplicationContext();
        context.registerBean("shelf", Shelf.class);
        context.registerBean("shelfStats", ShelfStats.class);
        context.registerBean("prices", FixedPrices.class);
        // What process-aot does, with the generated files kept in memory.
        DefaultGenerationContext generation = new DefaultGenerationContext(
                new ClassNameGenerator(org.springframework.javapoet.ClassName.get(getClass().getPackageName(), "Aot")),
                new InMemoryGeneratedFiles());
        new ApplicationContextAotGenerator().processAheadOfTime(context, generation);
        this.hints = generation.getRuntimeHints();
    }

    @Test
    void annotatedMethodsCanBeInvokedReflectively() throws Exception {
        assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(Shelf.class.getMethod("find", String.class)))
            .accepts(this.hints);
        assertThat(RuntimeHintsPredicates.reflection()
            .onMethodInvocation(Shelf.class.getMethod("authorsByGenre", Genre.class))).accepts(this.hints);
    }

    @Test
    void methodsAnnotatedOnAnInterfaceAreHintedOnTheInterface() throws Exception {
        assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(Prices.class.getMethod("price", Sku.class)))
            .accepts(this.hints);
        assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(Price.class, "cents")).accepts(this.hints);
    }

    @Test
    void declaredValueTypesAreBoundForJsonIncludingNestedAndTypeArguments() {
        // Book is the return type, Author a component of it, and also a type argument of Map<String, List<Author>>.
        assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(Book.class, "title")).accepts(this.hints);
        assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(Author.class, "name")).accepts(this.hints);
        // Optional<Price>: the value inside the Optional.
        assertThat(RuntimeHintsPredicates.reflection().onType(Price.class)).accepts(this.hints);
    }

    @Test
    void parameterTypesAreBoundForKeyJsonAndKeyExpressions() {
        assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(Genre.class, "code")).accepts(this.hints);
        assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(Sku.class, "value")).accepts(this.hints);
    }

    @Test
    void batchMethodIsInvokableAndTheBatchKeyPropertyOfItsValuesReadable() throws Exception {
        assertThat(RuntimeHintsPredicates.reflection()
            .onMethodInvocation(Shelf.class.getMethod("findAll", Collection.class))).accepts(this.hints);
        assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(Book.class, "isbn")).accepts(this.hints);
    }

    @Test
    void beanMethodCalledByTheKeysExpressionIsInvokable() throws Exception {
        assertThat(RuntimeHintsPredicates.reflection()
            .onMethodInvocation(ShelfStats.class.getMethod("popularIsbns", int.class))).accepts(this.hints);
    }

    @Test
    void methodsWithoutTheAnnotationsGetNoHints() throws Exception {
        assertThat(RuntimeHintsPredicates.reflection()
            .onMethodInvocation(Shelf.class.getMethod("notAnnotated", Sku.class))).rejects(this.hints);
    }

    @Test
    void contextWithoutAnnotatedMethodsContributesNothing() {
        DefaultListableBeanFactory beanFactory = new DefaultListableBeanFactory();
        beanFactory.registerSingleton("shelfStats", new ShelfStats());

        assertThat(new CachedMethodsAotProcessor().processAheadOfTime(beanFactory)).isNull();
    }
}
