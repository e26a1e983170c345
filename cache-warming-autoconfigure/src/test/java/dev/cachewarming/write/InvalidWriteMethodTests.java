package dev.cachewarming.write;

import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import dev.cachewarming.annotation.StampedeProtected;
import dev.cachewarming.annotation.WriteThrough;
import dev.cachewarming.autoconfigure.CacheWarmingAutoConfiguration;
import dev.cachewarming.interceptor.InvalidCachedMethodException;

import static org.assertj.core.api.Assertions.assertThat;

/** Mistakes in write annotations fail startup, naming the method and the fix. */
class InvalidWriteMethodTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class, CacheWarmingAutoConfiguration.class));

    public record Item(long id) {
    }

    public static class Reader {

        @StampedeProtected(cacheName = "items")
        public Optional<Item> find(long id) {
            return Optional.of(new Item(id));
        }
    }

    public static class UnknownCache {

        @WriteThrough(cacheName = "itemz", key = "#item.id")
        public Item save(Item item) {
            return item;
        }
    }

    public static class BadSpel {

        @WriteThrough(cacheName = "items", key = "#item.")
        public Item save(Item item) {
            return item;
        }
    }

    public static class UnknownVariable {

        @WriteThrough(cacheName = "items", key = "#itme.id")
        public Item save(Item item) {
            return item;
        }
    }

    public static class NoValue {

        @WriteThrough(cacheName = "items", key = "#item.id")
        public void save(Item item) {
        }
    }

    public static class WrongType {

        @WriteThrough(cacheName = "items", key = "#p0")
        public String rename(long id) {
            return "x";
        }
    }

    public static class ElementOfNoCollection {

        @WriteThrough(cacheName = "items", key = "#element.id")
        public Item save(Item item) {
            return item;
        }
    }

    public static class Valid {

        @WriteThrough(cacheName = "items", key = "#item.id", value = "#item")
        public void save(Item item) {
        }

        @WriteThrough(cacheName = "items", key = "#element.id")
        public List<Item> saveAll(List<Item> items) {
            return items;
        }
    }

    private InvalidCachedMethodException failureOf(Class<?> beanType) {
        InvalidCachedMethodException[] found = new InvalidCachedMethodException[1];
        this.runner.withBean(Reader.class).withBean(beanType).run((context) -> {
            assertThat(context).hasFailed();
            Throwable current = context.getStartupFailure();
            while (current != null && !(current instanceof InvalidCachedMethodException)) {
                current = current.getCause();
            }
            assertThat(current).as("an InvalidCachedMethodException in " + context.getStartupFailure()).isNotNull();
            found[0] = (InvalidCachedMethodException) current;
        });
        return found[0];
    }

    @Test
    void unknownCacheFailsStartupNamingTheMethodAndTheFix() {
        InvalidCachedMethodException failure = failureOf(UnknownCache.class);

        assertThat(failure.getMethod()).isEqualTo("InvalidWriteMethodTests.UnknownCache.save(Item)");
        assertThat(failure.getMessage()).contains("writes cache 'itemz', which no reading method declares");
        assertThat(failure.getAction()).contains("cache-warming.caches.itemz.value-type");
    }

    @Test
    void invalidSpelFailsStartup() {
        assertThat(failureOf(BadSpel.class).getMessage()).contains("key '#item.' is not a valid SpEL expression");
    }

    @Test
    void unknownVariableFailsStartup() {
        assertThat(failureOf(UnknownVariable.class).getMessage()).contains("refers to '#itme'");
    }

    @Test
    void voidMethodWithoutAValueExpressionFailsStartup() {
        InvalidCachedMethodException failure = failureOf(NoValue.class);

        assertThat(failure.getMessage()).contains("no value to write");
        assertThat(failure.getAction()).contains("value = \"#product\"");
    }

    @Test
    void valueOfAnotherTypeThanTheCacheHoldsFailsStartup() {
        assertThat(failureOf(WrongType.class).getMessage()).contains("would write java.lang.String values into cache "
                + "'items', which holds java.util.Optional<dev.cachewarming.write.InvalidWriteMethodTests$Item>");
    }

    @Test
    void elementOfAResultThatIsNoCollectionFailsStartup() {
        assertThat(failureOf(ElementOfNoCollection.class).getMessage()).contains("refers to #element");
    }

    @Test
    void validDeclarationsStart() {
        this.runner.withBean(Reader.class).withBean(Valid.class).run((context) -> assertThat(context).hasNotFailed());
    }
}
