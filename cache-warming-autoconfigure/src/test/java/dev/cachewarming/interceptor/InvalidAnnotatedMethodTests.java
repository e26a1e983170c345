package dev.cachewarming.interceptor;

import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import dev.cachewarming.annotation.RefreshAhead;
import dev.cachewarming.annotation.StampedeProtected;
import dev.cachewarming.autoconfigure.CacheWarmingAutoConfiguration;

import static org.assertj.core.api.Assertions.assertThat;

/** Mistakes in annotated methods fail startup with the method named and the fix. */
class InvalidAnnotatedMethodTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class, CacheWarmingAutoConfiguration.class));

    public static class BadSpel {

        @StampedeProtected(key = "#p0.")
        public String find(String sku) {
            return sku;
        }
    }

    public static class UnknownParameter {

        @StampedeProtected(key = "#skuu")
        public String find(String sku) {
            return sku;
        }
    }

    public static class VoidMethod {

        @StampedeProtected
        public void touch(String sku) {
        }
    }

    public static class ConflictingNames {

        @StampedeProtected(cacheName = "a")
        @RefreshAhead(cacheName = "b")
        public String find(String sku) {
            return sku;
        }
    }

    public static class SharedNameDifferentTypes {

        @StampedeProtected(cacheName = "shared")
        public String name(long id) {
            return "n";
        }

        @StampedeProtected(cacheName = "shared")
        public Integer count(long id) {
            return 1;
        }
    }

    private InvalidCachedMethodException failureOf(Class<?> beanType) {
        InvalidCachedMethodException[] found = new InvalidCachedMethodException[1];
        this.runner.withBean(beanType).run((context) -> {
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
    void invalidSpelKeyFailsStartupNamingTheMethod() {
        InvalidCachedMethodException failure = failureOf(BadSpel.class);

        assertThat(failure.getMethod()).isEqualTo("InvalidAnnotatedMethodTests.BadSpel.find(String)");
        assertThat(failure.getMessage()).contains("key '#p0.' is not a valid SpEL expression");
    }

    @Test
    void keyReferringToAnUnknownParameterFailsStartup() {
        InvalidCachedMethodException failure = failureOf(UnknownParameter.class);

        assertThat(failure.getMessage()).contains("refers to '#skuu', which is not a parameter; parameters: sku");
        assertThat(failure.getAction()).contains("#p0");
    }

    @Test
    void voidMethodFailsStartup() {
        assertThat(failureOf(VoidMethod.class).getMessage()).contains("returns void");
    }

    @Test
    void differentCacheNamesOnOneMethodFailStartup() {
        assertThat(failureOf(ConflictingNames.class).getMessage())
            .contains("different cacheNames ('a' and 'b')");
    }

    @Test
    void twoMethodsWithDifferentReturnTypesCannotShareACache() {
        InvalidCachedMethodException failure = failureOf(SharedNameDifferentTypes.class);

        assertThat(failure.getMessage()).contains("Cache 'shared' holds values of type");
        assertThat(failure.getAction()).contains("distinct cacheName");
    }
}
