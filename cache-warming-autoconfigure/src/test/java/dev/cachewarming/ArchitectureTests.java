package dev.cachewarming;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.cachewarming.cache.TieredCache;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The arrows between the core and its shared-tier adapters point into the core: an adapter implements the core's
 * ports ({@code SecondLevel}, {@code LeaseRegistry}, {@code HotKeyStore}, {@code InvalidationChannel}), and only the
 * Spring glue ({@code autoconfigure}) knows both.
 */
class ArchitectureTests {

    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        // This module's compiled main classes only, read from where they are (no classpath scan), and no library
        // class they name (archunit.properties): the tests after these in the same JVM include timing tests.
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importUrl(TieredCache.class.getProtectionDomain().getCodeSource().getLocation());
    }

    @AfterAll
    static void release() {
        classes = null;
    }

    @Test
    void noCorePackageDependsOnTheMemcachedAdapter() {
        noClasses().that()
            .resideOutsideOfPackages("dev.cachewarming.memcached..", "dev.cachewarming.autoconfigure..")
            .should()
            .dependOnClassesThat()
            .resideInAPackage("dev.cachewarming.memcached..")
            .because("the core declares the ports and adapters implement them, never the reverse")
            .check(classes);
    }

    @Test
    void theMemcachedAdapterKnowsNeitherRedisNorSpring() {
        noClasses().that()
            .resideInAPackage("dev.cachewarming.memcached..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("dev.cachewarming.cache.redis..", "dev.cachewarming.autoconfigure..",
                    "org.springframework..", "io.lettuce..")
            .because("an adapter depends on the core and its client only; the Spring glue wires it")
            .check(classes);
    }

    @Test
    void noCorePackageDependsOnTheRedisWriteSideAdapter() {
        noClasses().that()
            .resideOutsideOfPackages("dev.cachewarming.redis..", "dev.cachewarming.autoconfigure..")
            .and()
            .doNotHaveFullyQualifiedName("dev.cachewarming.tools.CacheDump") // the CLI's composition root
            .should()
            .dependOnClassesThat()
            .resideInAPackage("dev.cachewarming.redis..")
            .because("the write side's core (dev.cachewarming.write, dev.cachewarming.tools) declares ports that the "
                    + "Redis adapter implements")
            .check(classes);
    }

    @Test
    void theWriteSideCoreKnowsNeitherSpringNorARedisClient() {
        noClasses().that()
            .resideInAPackage("dev.cachewarming.write..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("org.springframework..", "io.lettuce..", "dev.cachewarming.cache.redis..")
            .because("write-behind's queue, coalescing, retries and flusher are plain Java, unit-testable without a "
                    + "context")
            .check(classes);
    }

    @Test
    void theRulesSeeDependenciesThatExist() {
        // The glue does wire the adapter: the same kind of rule about it must fail, or the rules above prove nothing.
        assertThatThrownBy(() -> noClasses().that()
            .resideInAPackage("dev.cachewarming.autoconfigure..")
            .should()
            .dependOnClassesThat()
            .resideInAPackage("dev.cachewarming.memcached..")
            .check(classes)).isInstanceOf(AssertionError.class).hasMessageContaining("MemcachedTierConfiguration");
    }
}
