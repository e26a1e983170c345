package dev.cachewarming;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.cachewarming.cache.TieredCache;
import dev.cachewarming.stampede.SingleFlight;
import dev.cachewarming.tools.CacheDump;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.equivalentTo;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The arrows between the core and its shared-tier adapters point into the core: an adapter ({@code redis},
 * {@code memcached}) implements the core's ports ({@code SecondLevel}, {@code LeaseRegistry}, {@code HotKeyStore},
 * {@code ShadowTraffic}, {@code InvalidationChannel}) and throws its {@code SharedTierException}, and only the
 * Spring glue ({@code autoconfigure}) knows both.
 */
class ArchitectureTests {

    /** The core: everything of ours that is neither an adapter nor the Spring glue that wires one. */
    private static final String[] CORE = { "dev.cachewarming.annotation..", "dev.cachewarming.cache..",
            "dev.cachewarming.stampede..", "dev.cachewarming.refresh..", "dev.cachewarming.warming..",
            "dev.cachewarming.gate..", "dev.cachewarming.interceptor..", "dev.cachewarming.actuate..",
            "dev.cachewarming.metrics..", "dev.cachewarming.observation.." };

    /** The shared-tier adapters, one top-level package per backend. */
    private static final String[] ADAPTERS = { "dev.cachewarming.redis..", "dev.cachewarming.memcached.." };

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

    private static String[] concat(String[] packages, String more) {
        String[] all = java.util.Arrays.copyOf(packages, packages.length + 1);
        all[packages.length] = more;
        return all;
    }

    @Test
    void noCorePackageDependsOnAnAdapter() {
        noClasses().that()
            .resideInAnyPackage(CORE)
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage(ADAPTERS)
            .because("the core declares the ports and adapters implement them, never the reverse")
            .check(classes);
    }

    @Test
    void onlyTheAutoConfigurationKnowsTheAdapters() {
        noClasses().that()
            .resideOutsideOfPackages(concat(ADAPTERS, "dev.cachewarming.autoconfigure.."))
            .and()
            .doNotHaveFullyQualifiedName(CacheDump.class.getName())
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage(ADAPTERS)
            .because("a package added beside the core is core too: only the Spring glue (and the dump command "
                    + "line, which is its own composition root) picks and wires a backend")
            .check(classes);
    }

    @Test
    void theRedisAdapterDoesNotKnowTheMemcachedAdapter() {
        noClasses().that()
            .resideInAPackage("dev.cachewarming.redis..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("dev.cachewarming.memcached..", "net.rubyeye..")
            .because("each backend is an adapter of its own; they meet only in the auto-configuration")
            .check(classes);
    }

    @Test
    void theMemcachedAdapterKnowsNeitherRedisNorSpring() {
        noClasses().that()
            .resideInAPackage("dev.cachewarming.memcached..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("dev.cachewarming.redis..", "org.springframework..", "io.lettuce..")
            .because("an adapter depends on the core and its client only; the Spring glue wires it")
            .check(classes);
    }

    @Test
    void noAdapterDependsOnTheAutoConfiguration() {
        noClasses().that()
            .resideInAnyPackage(ADAPTERS)
            .should()
            .dependOnClassesThat()
            .resideInAPackage("dev.cachewarming.autoconfigure..")
            .because("properties are bound by the glue and handed to an adapter as plain values")
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
    void theAnnotationsDependOnNothingOfOurs() {
        noClasses().that()
            .resideInAPackage("dev.cachewarming.annotation..")
            .should()
            .dependOnClassesThat(resideInAPackage("dev.cachewarming..")
                .and(not(resideInAPackage("dev.cachewarming.annotation.."))))
            .because("the public annotations are what applications compile against; they must not drag the rest in")
            .check(classes);
    }

    @Test
    void topLevelPackagesAreFreeOfCycles() {
        slices().matching("dev.cachewarming.(*)..")
            .should()
            .beFreeOfCycles()
            // Known, and the one left: TieredCache coalesces loads with stampede's SingleFlight, while stampede's
            // lease guard works on TieredCache (see CONVENTIONS habit 14: one load-path component would end it).
            .ignoreDependency(TieredCache.class, SingleFlight.class)
            // The dump command line wires the Redis adapter that implements the tools' ports, as autoconfigure
            // does for the application: a composition root, not an arrow from the core.
            .ignoreDependency(equivalentTo(CacheDump.class), resideInAPackage("dev.cachewarming.redis.."))
            .because("arrows between the packages point one way, so each can be read and tested from below")
            .check(classes);
    }

    @Test
    void theWriteSideCoreKnowsNeitherSpringNorARedisClient() {
        noClasses().that()
            .resideInAPackage("dev.cachewarming.write..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("org.springframework..", "io.lettuce..", "dev.cachewarming.redis..")
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
        // And the cycle rule sees the one cycle it is told to ignore.
        assertThatThrownBy(() -> slices().matching("dev.cachewarming.(*)..").should().beFreeOfCycles().check(classes))
            .isInstanceOf(AssertionError.class)
            .hasMessageContaining("SingleFlight");
    }
}
